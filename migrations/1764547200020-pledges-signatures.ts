import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { index, str, text, timestamp, uuid, uuidPk } from './lib/columns.js';

/** Pledges: the association's public signing keys and the firms' convention signatures. */
export class PledgesSignatures1764547200020 implements MigrationInterface {
  name = 'PledgesSignatures1764547200020';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'signing_keys',
        columns: [
          { ...str('kid', 64), isPrimary: true },
          str('algorithm', 16),
          text('publicKeyJwk'),
          timestamp('createdAt'),
          timestamp('retiredAt', true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'pledge_signatures',
        columns: [
          uuidPk(),
          uuid('firmId'),
          uuid('conventionVersionId'),
          str('textFingerprint', 64),
          str('consentVersion', 32),
          str('consentFingerprint', 64),
          uuid('signerUserId'),
          str('typedName', 100),
          str('signerTitle', 100),
          timestamp('signedAt'),
          str('ip', 64, true),
          str('userAgent', 500, true),
          str('authMethod', 16),
          text('payload'),
          str('kid', 64),
          str('signature', 128),
          uuid('auditEventId'),
        ],
        indices: [
          // One signature per firm and version: a second attempt fails here even under a race.
          index('IDX_pledge_signatures_firm_version', ['firmId', 'conventionVersionId'], true),
          index('IDX_pledge_signatures_version_time', ['conventionVersionId', 'signedAt']),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('pledge_signatures');
    await q.dropTable('signing_keys');
  }
}

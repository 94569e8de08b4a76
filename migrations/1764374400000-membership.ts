import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { index, int, str, text, timestamp, uuid, uuidPk } from './lib/columns.js';

/** Membership: the full firm record, applications, dues, sanctions; job runs and counters. */
export class Membership1764374400000 implements MigrationInterface {
  name = 'Membership1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('firms', [
      new TableColumn(str('searchText', 420, true)),
      new TableColumn(str('legalRepresentative', 50, true)),
      new TableColumn({ name: 'registeredCapitalFen', type: 'bigint', isNullable: true }),
      new TableColumn(str('establishedOn', 10, true)),
      new TableColumn(str('address', 300, true)),
      new TableColumn(str('website', 300, true)),
      new TableColumn(str('contactName', 50, true)),
      new TableColumn(str('contactPhone', 30, true)),
      new TableColumn(str('contactEmail', 254, true)),
      new TableColumn(str('tier', 16, true)),
      new TableColumn(str('memberSince', 10, true)),
      new TableColumn(str('suspendedUntil', 10, true)),
      new TableColumn(uuid('signatoryUserId', true)),
    ]);
    await q.createIndex('firms', index('IDX_firms_status_name', ['status', 'name', 'id']));
    await q.createIndex('firms', index('IDX_firms_tier', ['tier']));
    await q.query(`UPDATE firms SET "searchText" = lower(name || ' ' || coalesce("nameEn", ''))`);

    await q.createTable(
      new Table({
        name: 'firm_categories',
        columns: [
          { ...uuid('firmId'), isPrimary: true },
          { ...str('category', 32), isPrimary: true },
        ],
        indices: [index('IDX_firm_categories_category', ['category', 'firmId'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'firm_licences',
        columns: [
          uuidPk(),
          uuid('firmId'),
          str('type', 100),
          str('number', 100),
          str('issuer', 200),
          str('validFrom', 10),
          str('validTo', 10, true),
          timestamp('createdAt'),
        ],
        indices: [index('IDX_firm_licences_firm', ['firmId'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'firm_revisions',
        columns: [
          uuidPk(),
          uuid('firmId'),
          timestamp('changedAt'),
          uuid('actorId', true),
          str('kind', 32),
          text('changes'),
        ],
        indices: [index('IDX_firm_revisions_firm_time', ['firmId', 'changedAt'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'firm_change_requests',
        columns: [
          uuidPk(),
          uuid('firmId'),
          text('changes'),
          str('state', 16),
          uuid('requestedBy'),
          timestamp('requestedAt'),
          uuid('decidedBy', true),
          timestamp('decidedAt', true),
          text('comment', true),
          int('version'),
        ],
        indices: [
          index('IDX_firm_change_requests_firm', ['firmId']),
          index('IDX_firm_change_requests_state', ['state', 'requestedAt']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'firm_documents',
        columns: [
          uuidPk(),
          uuid('firmId'),
          str('kind', 32),
          str('fileName', 255),
          str('contentType', 64),
          int('sizeBytes'),
          str('sha256', 64),
          uuid('uploadedBy'),
          timestamp('uploadedAt'),
          timestamp('removedAt', true),
        ],
        indices: [index('IDX_firm_documents_firm', ['firmId', 'uploadedAt'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'membership_applications',
        columns: [
          uuidPk(),
          uuid('firmId'),
          str('state', 24),
          str('requestedTier', 16),
          timestamp('submittedAt', true),
          timestamp('decidedAt', true),
          timestamp('createdAt'),
          timestamp('updatedAt'),
          int('version'),
        ],
        indices: [
          index('IDX_membership_applications_state', ['state', 'submittedAt']),
          index('IDX_membership_applications_firm', ['firmId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'application_steps',
        columns: [
          uuidPk(),
          uuid('applicationId'),
          str('action', 24),
          str('fromState', 24),
          str('toState', 24),
          uuid('actorId'),
          str('actorRole', 32),
          text('comment', true),
          timestamp('at'),
        ],
        indices: [index('IDX_application_steps_application', ['applicationId', 'at'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'membership_tiers',
        columns: [
          { ...str('code', 16), isPrimary: true },
          str('nameZh', 50),
          str('nameEn', 50),
          int('annualFeeFen'),
          int('rank'),
          timestamp('updatedAt'),
          uuid('updatedBy', true),
        ],
      }),
    );
    const now = new Date();
    const tiers: Array<[string, string, string, number, number]> = [
      ['president', '会长单位', 'President member', 20_000_000, 1],
      ['vice_president', '副会长单位', 'Vice-president member', 10_000_000, 2],
      ['council', '理事单位', 'Council member', 5_000_000, 3],
      ['member', '会员单位', 'Member', 2_000_000, 4],
    ];
    for (const [code, nameZh, nameEn, fee, rank] of tiers) {
      await q.manager.insert('membership_tiers', {
        code,
        nameZh,
        nameEn,
        annualFeeFen: fee,
        rank,
        updatedAt: now,
        updatedBy: null,
      });
    }
    await q.createTable(
      new Table({
        name: 'invoices',
        columns: [
          uuidPk(),
          str('number', 32),
          uuid('firmId'),
          int('year'),
          str('kind', 16),
          str('tier', 16),
          int('amountFen'),
          int('paidFen'),
          str('status', 16),
          timestamp('issuedAt'),
          str('dueOn', 10),
          timestamp('waivedAt', true),
          uuid('waivedBy', true),
          text('waivedReason', true),
          int('version'),
        ],
        indices: [
          index('IDX_invoices_number', ['number'], true),
          index('IDX_invoices_firm_year_kind', ['firmId', 'year', 'kind'], true),
          index('IDX_invoices_status_year', ['status', 'year']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'payments',
        columns: [
          uuidPk(),
          uuid('invoiceId'),
          int('amountFen'),
          str('paidOn', 10),
          str('bankReference', 100),
          uuid('recordedBy'),
          timestamp('recordedAt'),
        ],
        indices: [index('IDX_payments_invoice', ['invoiceId'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'invoice_reminders',
        columns: [
          { ...uuid('invoiceId'), isPrimary: true },
          { ...str('kind', 24), isPrimary: true },
          timestamp('sentAt'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'firm_status_events',
        columns: [
          uuidPk(),
          uuid('firmId'),
          str('status', 32),
          str('reasonCategory', 32, true),
          text('reason', true),
          str('decisionRef', 100, true),
          str('until', 10, true),
          timestamp('effectiveAt'),
          uuid('actorId', true),
        ],
        indices: [index('IDX_firm_status_events_firm', ['firmId', 'effectiveAt'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'firm_invitations',
        columns: [
          uuidPk(),
          uuid('firmId'),
          str('email', 254),
          str('role', 16),
          str('tokenHash', 64),
          uuid('invitedBy'),
          timestamp('createdAt'),
          timestamp('expiresAt'),
          timestamp('acceptedAt', true),
          timestamp('revokedAt', true),
        ],
        indices: [
          index('IDX_firm_invitations_token', ['tokenHash'], true),
          index('IDX_firm_invitations_firm', ['firmId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'job_runs',
        columns: [
          { ...str('job', 64), isPrimary: true },
          { ...str('runKey', 64), isPrimary: true },
          timestamp('startedAt'),
          timestamp('finishedAt', true),
          text('outcome', true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sequence_counters',
        columns: [{ ...str('name', 64), isPrimary: true }, int('value')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'sequence_counters',
      'job_runs',
      'firm_invitations',
      'firm_status_events',
      'invoice_reminders',
      'payments',
      'invoices',
      'membership_tiers',
      'application_steps',
      'membership_applications',
      'firm_documents',
      'firm_change_requests',
      'firm_revisions',
      'firm_licences',
      'firm_categories',
    ]) {
      await q.dropTable(table);
    }
    await q.dropIndex('firms', 'IDX_firms_tier');
    await q.dropIndex('firms', 'IDX_firms_status_name');
    for (const column of [
      'signatoryUserId',
      'suspendedUntil',
      'memberSince',
      'tier',
      'contactEmail',
      'contactPhone',
      'contactName',
      'website',
      'address',
      'establishedOn',
      'registeredCapitalFen',
      'legalRepresentative',
      'searchText',
    ]) {
      await q.dropColumn('firms', column);
    }
  }
}

import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { index, int, str, text, timestamp, uuid, uuidPk } from './lib/columns.js';

/** Certificates: issued, signed PDFs with their facts, and their revocation. */
export class Certificates1764806400000 implements MigrationInterface {
  name = 'Certificates1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'certificates',
        columns: [
          uuidPk(),
          str('serial', 32),
          str('kind', 16),
          uuid('firmId'),
          str('subjectKey', 120),
          text('facts'),
          str('issuedOn', 10),
          str('expiresOn', 10),
          str('verifyUrl', 500),
          text('payload'),
          str('kid', 64),
          str('signature', 128),
          str('pdfSha256', 64),
          str('status', 12),
          timestamp('revokedAt', true),
          str('revokedReason', 48, true),
          text('revokedNote', true),
          uuid('revokedBy', true),
          uuid('issuedBy', true),
          timestamp('issuedAt'),
          int('version'),
        ],
        indices: [
          index('IDX_certificates_serial', ['serial'], true),
          index('IDX_certificates_subject', ['kind', 'subjectKey'], true),
          index('IDX_certificates_firm', ['firmId', 'issuedAt']),
          index('IDX_certificates_status', ['status', 'expiresOn']),
          index('IDX_certificates_pdf', ['pdfSha256']),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('certificates');
  }
}

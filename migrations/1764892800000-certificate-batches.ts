import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { index, int, str, text, timestamp, uuid, uuidPk } from './lib/columns.js';

/**
 * Certificates, second step:
 * - one *valid* certificate per fact (a revoked one no longer blocks reissuing the fact);
 * - each certificate gets its position in the published revocation status list (statusIndex),
 *   numbered in issue order, existing certificates included;
 * - bulk issuance batches and their items (resumable: every subject is a row with its outcome).
 */
export class CertificateBatches1764892800000 implements MigrationInterface {
  name = 'CertificateBatches1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('certificates', 'IDX_certificates_subject');
    await q.createIndex('certificates', index('IDX_certificates_subject', ['kind', 'subjectKey']));
    await q.createIndex(
      'certificates',
      new TableIndex({
        name: 'IDX_certificates_subject_valid',
        columnNames: ['kind', 'subjectKey'],
        isUnique: true,
        where: "status = 'valid'",
      }),
    );

    await q.addColumn('certificates', new TableColumn(int('statusIndex', true)));
    const rows = (await q.query(
      'SELECT id FROM certificates ORDER BY "issuedAt" ASC, serial ASC',
    )) as Array<{ id: string }>;
    const pg = q.connection.driver.options.type === 'postgres';
    for (const [position, row] of rows.entries()) {
      await q.query(
        pg
          ? 'UPDATE certificates SET "statusIndex" = $1 WHERE id = $2'
          : 'UPDATE certificates SET "statusIndex" = ? WHERE id = ?',
        [position, row.id],
      );
    }
    if (rows.length > 0) {
      await q.query(
        pg
          ? 'INSERT INTO sequence_counters (name, value) VALUES ($1, $2)'
          : 'INSERT INTO sequence_counters (name, value) VALUES (?, ?)',
        ['certificate-status-index', rows.length],
      );
    }
    await q.createIndex(
      'certificates',
      index('IDX_certificates_status_index', ['statusIndex'], true),
    );

    await q.createTable(
      new Table({
        name: 'certificate_batches',
        columns: [
          uuidPk(),
          str('kind', 16),
          int('year', true),
          str('state', 12),
          int('total'),
          int('issued'),
          int('skipped'),
          int('failed'),
          uuid('createdBy', true),
          timestamp('createdAt'),
          timestamp('startedAt', true),
          timestamp('finishedAt', true),
          str('claimedBy', 64, true),
          timestamp('leaseUntil', true),
          int('version'),
        ],
        indices: [index('IDX_certificate_batches_state', ['state', 'createdAt'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'certificate_batch_items',
        columns: [
          uuidPk(),
          uuid('batchId'),
          str('subjectId', 64),
          uuid('firmId'),
          int('position'),
          str('state', 12),
          uuid('certificateId', true),
          str('errorCode', 48, true),
          text('errorDetail', true),
          timestamp('updatedAt'),
        ],
        indices: [
          index('IDX_certificate_batch_items_subject', ['batchId', 'subjectId'], true),
          index('IDX_certificate_batch_items_state', ['batchId', 'state', 'position']),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('certificate_batch_items');
    await q.dropTable('certificate_batches');
    await q.dropIndex('certificates', 'IDX_certificates_status_index');
    await q.query("DELETE FROM sequence_counters WHERE name = 'certificate-status-index'");
    await q.dropColumn('certificates', 'statusIndex');
    await q.dropIndex('certificates', 'IDX_certificates_subject_valid');
    await q.dropIndex('certificates', 'IDX_certificates_subject');
    await q.createIndex(
      'certificates',
      index('IDX_certificates_subject', ['kind', 'subjectKey'], true),
    );
  }
}

import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestamp } from './lib/columns.js';

/** When a pending e-mail may next be tried: retry back-off and the sender's claim on it. */
export class EmailOutboxRetry1764288000000 implements MigrationInterface {
  name = 'EmailOutboxRetry1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('email_outbox', new TableColumn(timestamp('nextAttemptAt', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('email_outbox', 'nextAttemptAt');
  }
}

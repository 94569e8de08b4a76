import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { index, int, str, text, timestamp, uuid, uuidPk } from './lib/columns.js';

export class Foundation1764201600000 implements MigrationInterface {
  name = 'Foundation1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'firms',
        columns: [
          uuidPk(),
          str('name', 200),
          str('nameEn', 200, true),
          str('creditCode', 18),
          str('district', 32),
          str('status', 32),
          timestamp('createdAt'),
          timestamp('updatedAt'),
          int('version'),
        ],
        indices: [
          index('IDX_firms_credit_code', ['creditCode'], true),
          index('IDX_firms_district', ['district']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          uuidPk(),
          str('email', 254),
          str('name', 100),
          str('role', 32),
          uuid('firmId', true),
          str('passwordHash', 255),
          str('locale', 8),
          timestamp('emailVerifiedAt', true),
          str('totpSecretEnc', 255, true),
          timestamp('totpEnabledAt', true),
          int('totpLastStep', true),
          timestamp('disabledAt', true),
          timestamp('passwordChangedAt'),
          timestamp('createdAt'),
          timestamp('updatedAt'),
          int('version'),
        ],
        indices: [index('IDX_users_email', ['email'], true), index('IDX_users_firm', ['firmId'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [
          uuidPk(),
          uuid('userId'),
          str('kind', 8),
          str('pendingStep', 16, true),
          str('ip', 64, true),
          str('userAgent', 255, true),
          timestamp('createdAt'),
          timestamp('expiresAt'),
          timestamp('revokedAt', true),
        ],
        indices: [index('IDX_sessions_user', ['userId'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'user_tokens',
        columns: [
          uuidPk(),
          uuid('userId'),
          str('purpose', 24),
          str('tokenHash', 64),
          timestamp('createdAt'),
          timestamp('expiresAt'),
          timestamp('usedAt', true),
        ],
        indices: [
          index('IDX_user_tokens_hash', ['tokenHash'], true),
          index('IDX_user_tokens_user', ['userId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'recovery_codes',
        columns: [
          uuidPk(),
          uuid('userId'),
          str('codeHash', 64),
          timestamp('createdAt'),
          timestamp('usedAt', true),
        ],
        indices: [index('IDX_recovery_codes_user', ['userId'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'login_failures',
        columns: [uuidPk(), str('key', 300), timestamp('createdAt')],
        indices: [index('IDX_login_failures_key_time', ['key', 'createdAt'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { ...int('seq'), isPrimary: true },
          uuid('id'),
          timestamp('occurredAt'),
          uuid('actorId', true),
          str('actorRole', 32),
          str('action', 64),
          str('subjectType', 64),
          str('subjectId', 64),
          text('summary'),
          str('ip', 64, true),
          str('requestId', 64, true),
          str('prevHash', 64),
          str('hash', 64),
        ],
        indices: [
          index('IDX_audit_events_id', ['id'], true),
          index('IDX_audit_events_subject', ['subjectType', 'subjectId']),
          index('IDX_audit_events_actor', ['actorId']),
          index('IDX_audit_events_action', ['action']),
          index('IDX_audit_events_time', ['occurredAt']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'email_outbox',
        columns: [
          uuidPk(),
          str('recipient', 254),
          str('template', 64),
          str('locale', 8),
          str('subject', 300),
          text('textBody'),
          text('htmlBody'),
          str('status', 16),
          int('attempts'),
          text('lastError', true),
          timestamp('createdAt'),
          timestamp('sentAt', true),
        ],
        indices: [
          index('IDX_email_outbox_status', ['status']),
          index('IDX_email_outbox_recipient', ['recipient']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'notifications',
        columns: [
          uuidPk(),
          uuid('userId'),
          str('kind', 64),
          str('titleZh', 200),
          str('titleEn', 200),
          str('link', 500, true),
          timestamp('createdAt'),
          timestamp('readAt', true),
        ],
        indices: [index('IDX_notifications_user_time', ['userId', 'createdAt'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'notifications',
      'email_outbox',
      'audit_events',
      'login_failures',
      'recovery_codes',
      'user_tokens',
      'sessions',
      'users',
      'firms',
    ]) {
      await q.dropTable(table);
    }
  }
}

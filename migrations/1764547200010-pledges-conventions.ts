import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { index, int, str, text, timestamp, uuid, uuidPk } from './lib/columns.js';

/** Pledges: convention versions, each member's obligation to sign one, and deadline reminders. */
export class PledgesConventions1764547200010 implements MigrationInterface {
  name = 'PledgesConventions1764547200010';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'convention_versions',
        columns: [
          uuidPk(),
          int('versionNumber'),
          str('titleZh', 200),
          str('titleEn', 200, true),
          text('bodyZh'),
          text('bodyEn', true),
          str('state', 16),
          str('fingerprint', 64, true),
          str('effectiveOn', 10, true),
          timestamp('publishedAt', true),
          uuid('publishedBy', true),
          timestamp('createdAt'),
          timestamp('updatedAt'),
          int('version'),
        ],
        indices: [
          index('IDX_convention_versions_number', ['versionNumber'], true),
          index('IDX_convention_versions_state_effective', ['state', 'effectiveOn']),
        ],
      }),
    );
    await this.protectPublishedText(q);
    await q.createTable(
      new Table({
        name: 'pledge_obligations',
        columns: [
          uuidPk(),
          uuid('firmId'),
          uuid('conventionVersionId'),
          str('state', 16),
          str('deadlineOn', 10),
          timestamp('signedAt', true),
          uuid('signatureId', true),
          timestamp('endedAt', true),
          str('endedReason', 32, true),
          timestamp('createdAt'),
          int('version'),
        ],
        indices: [
          index('IDX_pledge_obligations_firm_version', ['firmId', 'conventionVersionId'], true),
          index('IDX_pledge_obligations_version_state', ['conventionVersionId', 'state', 'id']),
          index('IDX_pledge_obligations_state_deadline', ['state', 'deadlineOn']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'pledge_reminders',
        columns: [
          { ...uuid('obligationId'), isPrimary: true },
          { ...str('kind', 16), isPrimary: true },
          timestamp('sentAt'),
        ],
      }),
    );
  }

  /**
   * A published version's text is what members signed: the database itself refuses to change
   * it (or to delete the row), whatever route the change takes. Drafts stay editable.
   */
  private async protectPublishedText(q: QueryRunner): Promise<void> {
    const columns = ['versionNumber', 'titleZh', 'titleEn', 'bodyZh', 'bodyEn', 'fingerprint'];
    if (q.connection.options.type === 'postgres') {
      const changed = [...columns, 'state', 'effectiveOn']
        .map((c) => `NEW."${c}" IS DISTINCT FROM OLD."${c}"`)
        .join(' OR ');
      await q.query(`CREATE FUNCTION convention_versions_published_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.state = 'published' AND (TG_OP = 'DELETE' OR ${changed}) THEN
            RAISE EXCEPTION 'convention version % is published and cannot change', OLD."versionNumber";
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$`);
      await q.query(`CREATE TRIGGER convention_versions_published_immutable
        BEFORE UPDATE OR DELETE ON convention_versions
        FOR EACH ROW EXECUTE FUNCTION convention_versions_published_immutable()`);
      return;
    }
    const changed = [...columns, 'state', 'effectiveOn']
      .map((c) => `NEW."${c}" IS NOT OLD."${c}"`)
      .join(' OR ');
    await q.query(`CREATE TRIGGER convention_versions_published_immutable
      BEFORE UPDATE ON convention_versions
      FOR EACH ROW WHEN OLD.state = 'published' AND (${changed})
      BEGIN SELECT RAISE(ABORT, 'convention version is published and cannot change'); END`);
    await q.query(`CREATE TRIGGER convention_versions_published_undeletable
      BEFORE DELETE ON convention_versions
      FOR EACH ROW WHEN OLD.state = 'published'
      BEGIN SELECT RAISE(ABORT, 'convention version is published and cannot be deleted'); END`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('pledge_reminders');
    await q.dropTable('pledge_obligations');
    await q.dropTable('convention_versions');
    if (q.connection.options.type === 'postgres')
      await q.query('DROP FUNCTION convention_versions_published_immutable()');
  }
}

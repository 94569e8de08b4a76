import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('database schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('matches the entities exactly after all migrations (no drift)', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('reverts every migration and applies them again cleanly', async () => {
    const count = t.dataSource.migrations.length;
    for (let i = 0; i < count; i++) await t.dataSource.undoLastMigration({ transaction: 'each' });
    const runner = t.dataSource.createQueryRunner();
    for (const entity of t.dataSource.entityMetadatas) {
      expect(await runner.hasTable(entity.tableName)).toBe(false);
    }
    await runner.release();
    await t.dataSource.runMigrations({ transaction: 'each' });
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
  });

  it('stores times as UTC and reads back the same instant', async () => {
    const instant = new Date('2026-03-01T08:00:00.000Z');
    await t.dataSource.query(
      t.dataSource.options.type === 'postgres'
        ? `INSERT INTO firms (id, name, "nameEn", "creditCode", district, status, "createdAt", "updatedAt", version) VALUES ($1, $2, NULL, $3, $4, $5, $6, $6, 1)`
        : `INSERT INTO firms (id, name, nameEn, creditCode, district, status, createdAt, updatedAt, version) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, 1)`,
      t.dataSource.options.type === 'postgres'
        ? [
            '00000000-0000-4000-8000-000000000001',
            '测试',
            '91440300708461136T',
            'futian',
            'active',
            instant,
          ]
        : [
            '00000000-0000-4000-8000-000000000001',
            '测试',
            '91440300708461136T',
            'futian',
            'active',
            '2026-03-01 08:00:00.000',
            '2026-03-01 08:00:00.000',
          ],
    );
    const firm = await t.dataSource
      .getRepository('Firm')
      .findOneByOrFail({ id: '00000000-0000-4000-8000-000000000001' });
    expect((firm.createdAt as Date).toISOString()).toBe(instant.toISOString());
  });
});

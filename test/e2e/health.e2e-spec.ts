import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness without a database round trip', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers readiness when the database is up', async () => {
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body.database).toBe('up');
  });

  it('answers readiness 503 when the database is gone', async () => {
    await t.dataSource.destroy();
    const res = await t.http.get('/health/ready').expect(503);
    expect(res.body).toMatchObject({
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      database: 'down',
    });
    await t.dataSource.initialize();
  });
});

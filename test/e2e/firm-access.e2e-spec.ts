import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFirm, loginAs } from '../factories/index.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('firm records are scoped to their firm', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lets a firm user read its own firm', async () => {
    const user = await loginAs(t, 'firm_member');
    const res = await t.http
      .get(`/api/v1/firms/${user.firmId}`)
      .set('Authorization', `Bearer ${user.token}`)
      .expect(200);
    expect(res.body.id).toBe(user.firmId);
  });

  it("answers 404, not 403, when a firm user asks for another firm's record", async () => {
    const other = await createFirm(t);
    const user = await loginAs(t, 'firm_admin');
    const res = await t.http
      .get(`/api/v1/firms/${other.id}`)
      .set('Authorization', `Bearer ${user.token}`)
      .expect(404);
    expect(res.body.code).toBe('FIRM_NOT_FOUND');
  });

  it('answers the same 404 for an id that does not exist at all', async () => {
    const user = await loginAs(t, 'firm_admin');
    const res = await t.http
      .get('/api/v1/firms/00000000-0000-4000-8000-00000000abcd')
      .set('Authorization', `Bearer ${user.token}`)
      .expect(404);
    expect(res.body.code).toBe('FIRM_NOT_FOUND');
  });

  it('lets staff read any firm', async () => {
    const firm = await createFirm(t);
    const staff = await loginAs(t, 'staff_reviewer');
    await t.http
      .get(`/api/v1/firms/${firm.id}`)
      .set('Authorization', `Bearer ${staff.token}`)
      .expect(200);
  });

  it('refuses a complainant with 403 (wrong role) and logs the denial', async () => {
    const firm = await createFirm(t);
    const complainant = await loginAs(t, 'complainant');
    const res = await t.http
      .get(`/api/v1/firms/${firm.id}`)
      .set('Authorization', `Bearer ${complainant.token}`)
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const denial = t.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'access.denied' && entry.userId === complainant.id);
    expect(denial).toMatchObject({ status: 403, path: `/api/v1/firms/${firm.id}` });
  });
});

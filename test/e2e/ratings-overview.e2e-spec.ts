import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUser, loginAs } from '../factories/index.js';
import {
  memberFirmAdmin,
  openCycle,
  publishThroughReview,
  submittedSubmission,
  type RatingsUser,
} from '../factories/ratings.js';
import { bearer } from '../helpers/auth-flows.js';
import { signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('ratings cycle overview', () => {
  let t: TestApp;
  let a: RatingsUser;
  let b: RatingsUser;
  let admin: RatingsUser;

  beforeAll(async () => {
    t = await startTestApp();
    a = await loginAs(t, 'staff_reviewer');
    b = await loginAs(t, 'staff_reviewer');
    admin = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  it('counts submissions by state including active firms not started, charts published grades and exports CSV', async () => {
    const cycle = await openCycle(t);
    const published = await memberFirmAdmin(t);
    const pending = await memberFirmAdmin(t);
    const idle = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, cycle, published.firm.id);
    await submittedSubmission(t, cycle, pending.firm.id);
    const rating = await publishThroughReview(t, sub, a, b, admin);

    const res = await t.http
      .get(`/api/v1/ratings/cycles/${cycle.id}/overview`)
      .set(...bearer(a.token))
      .expect(200);
    expect(res.body.counts).toMatchObject({ published: 1, submitted: 1 });
    expect(res.body.counts.not_started).toBeGreaterThanOrEqual(1);
    expect(res.body.grades[rating.grade]).toBe(1);
    const idleRow = (res.body.rows as Array<{ firmId: string; state: string }>).find(
      (r) => r.firmId === idle.firm.id,
    );
    expect(idleRow?.state).toBe('not_started');

    const csv = await t.http
      .get(`/api/v1/ratings/cycles/${cycle.id}/overview.csv`)
      .set(...bearer(a.token))
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.startsWith('\uFEFFfirm,credit_code,state,score,computed_grade')).toBe(true);
    const line = csv.text.split('\r\n').find((l) => l.startsWith(published.firm.name));
    expect(line).toContain(`,${published.firm.creditCode},`);
    expect(line).toContain(`,${rating.grade},no`);

    const web = await signInWeb(t, await createUser(t, { role: 'staff_reviewer' }));
    const page = await web
      .get(`/staff/ratings/cycles/${cycle.id}/overview`)
      .set('Accept', 'text/html')
      .expect(200);
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('data-testid="count-not_started"');
    const pageCsv = await web.get(`/staff/ratings/cycles/${cycle.id}/overview.csv`).expect(200);
    expect(pageCsv.text).toContain(published.firm.name);
  });

  it('is for staff only, and answers 404 for an unknown cycle', async () => {
    const firm = await memberFirmAdmin(t);
    const cycle = await openCycle(t);
    await t.http
      .get(`/api/v1/ratings/cycles/${cycle.id}/overview`)
      .set(...bearer(firm.token))
      .expect(403);
    const unknown = await t.http
      .get('/api/v1/ratings/cycles/00000000-0000-4000-8000-000000000000/overview')
      .set(...bearer(a.token))
      .expect(404);
    expect(unknown.body.code).toBe('CYCLE_NOT_FOUND');
  });
});

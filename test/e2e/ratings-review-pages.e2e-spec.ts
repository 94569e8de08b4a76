import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RatingSubmission } from '../../src/modules/ratings/entities/rating-submission.entity.js';
import { createUser } from '../factories/index.js';
import { memberFirmAdmin, openCycle, submittedSubmission } from '../factories/ratings.js';
import { csrfFrom, signInWeb, type WebAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('ratings review pages', () => {
  let t: TestApp;
  let webA: WebAgent;
  let webB: WebAgent;
  let webAdmin: WebAgent;

  const page = (web: WebAgent, path: string) => web.get(path).set('Accept', 'text/html');
  const submit = async (web: WebAgent, id: string, action: string, fields: object = {}) => {
    const csrf = csrfFrom((await page(web, `/staff/ratings/submissions/${id}`)).text);
    return web
      .post(`/staff/ratings/submissions/${id}/${action}`)
      .type('form')
      .send({ _csrf: csrf, ...fields });
  };

  beforeAll(async () => {
    t = await startTestApp();
    webA = await signInWeb(t, await createUser(t, { role: 'staff_reviewer' }));
    webB = await signInWeb(t, await createUser(t, { role: 'staff_reviewer' }));
    webAdmin = await signInWeb(t, await createUser(t, { role: 'staff_admin' }));
  });
  afterAll(() => t.close());

  it('queues the submission, shows its breakdown, and runs propose → confirm → publish through the forms', async () => {
    const { firm } = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firm.id);
    const queue = await page(webA, '/staff/ratings/reviews').expect(200);
    expect(queue.text).toContain(`/staff/ratings/submissions/${sub.id}`);
    const view = await page(webA, `/staff/ratings/submissions/${sub.id}`).expect(200);
    expect(view.text).toContain('data-testid="breakdown-paid_in_capital"');
    expect(view.text).toContain('data-testid="propose-form"');

    const differs = await submit(webA, sub.id, 'propose', { grade: 'C' });
    expect(differs.headers.location).toBe(
      `/staff/ratings/submissions/${sub.id}?error=RATIONALE_REQUIRED`,
    );
    const refusedPage = await page(webA, differs.headers.location);
    expect(refusedPage.text).toContain('须填写书面理由');

    const proposed = await submit(webA, sub.id, 'propose', { grade: sub.computedGrade });
    expect(proposed.status).toBe(303);
    const own = await page(webA, `/staff/ratings/submissions/${sub.id}`);
    expect(own.text).not.toContain('data-testid="confirm-form"');
    const confirmed = await submit(webB, sub.id, 'confirm');
    expect(confirmed.headers.location).toBe(`/staff/ratings/submissions/${sub.id}?done=confirm`);
    await submit(webAdmin, sub.id, 'publish');
    const stored = await t.dataSource
      .getRepository(RatingSubmission)
      .findOneByOrFail({ id: sub.id });
    expect(stored.state).toBe('published');
    const history = await page(webAdmin, `/staff/ratings/submissions/${sub.id}`);
    expect(history.text).toContain('复核确认');
  });

  it('declares a link on the conflicts page, which then bars the reviewer from the submission', async () => {
    const { firm } = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firm.id);
    const form = await page(webA, '/staff/ratings/conflicts').expect(200);
    const res = await webA
      .post('/staff/ratings/conflicts')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), firmId: firm.id, note: '曾任独立董事' })
      .expect(303);
    expect(res.headers.location).toBe('/staff/ratings/conflicts?done=conflictAdded');
    const list = await page(webA, '/staff/ratings/conflicts');
    expect(list.text).toContain('曾任独立董事');
    await page(webA, `/staff/ratings/submissions/${sub.id}`).expect(403);
    const queue = await page(webA, '/staff/ratings/reviews');
    expect(queue.text).not.toContain(sub.id);
  });
});

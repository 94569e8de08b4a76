import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loginAs } from '../factories/index.js';
import { SAMPLE_PDF } from '../factories/firm-portal.js';
import {
  memberFirmAdmin,
  openCycle,
  publishThroughReview,
  submittedSubmission,
  type RatingsUser,
} from '../factories/ratings.js';
import { bearer } from '../helpers/auth-flows.js';
import { csrfFrom, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('ratings public pages and the firm appeal page', () => {
  let t: TestApp;
  let a: RatingsUser;
  let b: RatingsUser;
  let admin: RatingsUser;

  const published = async () => {
    const firmAdmin = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firmAdmin.firm.id);
    const rating = await publishThroughReview(t, sub, a, b, admin);
    return { firmAdmin, rating };
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await loginAs(t, 'staff_reviewer');
    b = await loginAs(t, 'staff_reviewer');
    admin = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  it('shows the current grade and history on the public page and in the directory section, marked under appeal once appealed', async () => {
    const { firmAdmin, rating } = await published();
    const page = await t.http.get(`/ratings/firms/${firmAdmin.firm.id}`).expect(200);
    expect(page.text).toContain(`<strong>${rating.grade}</strong>`);
    expect(page.text).toContain(rating.expiresOn);
    expect(page.text).not.toContain('data-testid="under-appeal"');
    const directory = await t.http.get(`/directory/${firmAdmin.firm.id}`).expect(200);
    expect(directory.text).toContain(`信用评级 ${rating.grade}（有效期至 ${rating.expiresOn}）`);
    expect(directory.text).toContain(`/ratings/firms/${firmAdmin.firm.id}`);

    await t.http
      .post(`/api/v1/ratings/ratings/${rating.id}/appeal`)
      .set(...bearer(firmAdmin.token))
      .send({ reasons: '数据有误' })
      .expect(201);
    const marked = await t.http.get(`/ratings/firms/${firmAdmin.firm.id}`).expect(200);
    expect(marked.text).toContain('data-testid="under-appeal"');
    expect(marked.text).toContain('申诉中');
    const section = await t.http.get(`/directory/${firmAdmin.firm.id}`).expect(200);
    expect(section.text).toContain('申诉中');
  });

  it('answers 404 for an unknown firm', async () => {
    await t.http.get('/ratings/firms/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('lets the firm admin appeal through the page with a document, and answers 404 to another firm', async () => {
    const { firmAdmin, rating } = await published();
    const web = await signInWeb(t, firmAdmin);
    const form = await web
      .get(`/firm/ratings/ratings/${rating.id}/appeal`)
      .set('Accept', 'text/html')
      .expect(200);
    expect(form.text).toContain('data-testid="appeal-form"');
    const csrf = csrfFrom(form.text);
    const res = await web
      .post(`/firm/ratings/ratings/${rating.id}/appeal?_csrf=${encodeURIComponent(csrf)}`)
      .field('reasons', '投诉统计口径有误')
      .attach('documents', SAMPLE_PDF, 'proof.pdf')
      .expect(303);
    expect(res.headers.location).toBe(`/firm/ratings/ratings/${rating.id}/appeal?done=filed`);
    const after = await web.get(res.headers.location).set('Accept', 'text/html');
    expect(after.text).toContain('投诉统计口径有误');
    expect(after.text).toContain('proof.pdf');
    expect(after.text).not.toContain('data-testid="appeal-form"');
    const link = /href="(\/ratings\/appeals\/[^"]+\/documents\/[^"]+)"/.exec(after.text);
    expect(link).not.toBeNull();
    const download = await web.get(link?.[1] ?? '').expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');

    const other = await memberFirmAdmin(t);
    const otherWeb = await signInWeb(t, other);
    await otherWeb
      .get(`/firm/ratings/ratings/${rating.id}/appeal`)
      .set('Accept', 'text/html')
      .expect(404);
    await otherWeb.get(link?.[1] ?? '').expect(404);
  });
});

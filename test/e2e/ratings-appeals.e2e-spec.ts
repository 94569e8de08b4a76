import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingDate } from '../../src/common/time/beijing.js';
import { FirmRating } from '../../src/modules/ratings/entities/firm-rating.entity.js';
import { RatingDocument } from '../../src/modules/ratings/entities/rating-document.entity.js';
import { loginAs } from '../factories/index.js';
import { SAMPLE_PDF } from '../factories/firm-portal.js';
import {
  memberFirmAdmin,
  openCycle,
  publishThroughReview,
  submittedSubmission,
  type RatingsUser,
} from '../factories/ratings.js';
import { bearer, emailsTo, writeDb } from '../helpers/auth-flows.js';
import { csrfFrom, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const DAY = 86_400_000;

describe('ratings appeals (RATING_APPEAL_DAYS=15)', () => {
  let t: TestApp;
  let a: RatingsUser;
  let b: RatingsUser;
  let admin: RatingsUser;
  let c: RatingsUser;

  const rating = (id: string) => t.dataSource.getRepository(FirmRating).findOneByOrFail({ id });
  /** A firm with a published rating (proposed by a, confirmed by b, published by admin). */
  const published = async () => {
    const firmAdmin = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firmAdmin.firm.id);
    const r = await publishThroughReview(t, sub, a, b, admin);
    return { firmAdmin, sub, rating: r };
  };
  const publishedDaysAgo = (ratingId: string, days: number) =>
    writeDb(t, (m) =>
      m.update(FirmRating, { id: ratingId }, { publishedAt: new Date(Date.now() - days * DAY) }),
    );
  const file = (token: string, ratingId: string, reasons = '评分所依据的逾期率口径有误') =>
    t.http
      .post(`/api/v1/ratings/ratings/${ratingId}/appeal`)
      .set(...bearer(token))
      .send({ reasons });
  const decide = (token: string, appealId: string, body: object) =>
    t.http
      .post(`/api/v1/ratings/appeals/${appealId}/decision`)
      .set(...bearer(token))
      .send(body);

  beforeAll(async () => {
    t = await startTestApp({ RATING_APPEAL_DAYS: '15' });
    a = await loginAs(t, 'staff_reviewer');
    b = await loginAs(t, 'staff_reviewer');
    c = await loginAs(t, 'staff_reviewer');
    admin = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  it('accepts an appeal on day 15 after publication and refuses one on day 16', async () => {
    const day15 = await published();
    await publishedDaysAgo(day15.rating.id, 15);
    await file(day15.firmAdmin.token, day15.rating.id).expect(201);
    const day16 = await published();
    await publishedDaysAgo(day16.rating.id, 16);
    const late = await file(day16.firmAdmin.token, day16.rating.id).expect(409);
    expect(late.body.code).toBe('APPEAL_WINDOW_CLOSED');
    const window = await t.http
      .get(`/api/v1/ratings/ratings/${day16.rating.id}/appeal-window`)
      .set(...bearer(day16.firmAdmin.token))
      .expect(200);
    expect(window.body).toMatchObject({ open: false });
  });

  it('takes one appeal per rating, with reasons and documents, and marks the rating under appeal', async () => {
    const { firmAdmin, rating: r } = await published();
    expect((await file(firmAdmin.token, r.id, '  ')).body.code).toBe('COMMENT_REQUIRED');
    const filed = await t.http
      .post(`/api/v1/ratings/ratings/${r.id}/appeal`)
      .set(...bearer(firmAdmin.token))
      .field('reasons', '投诉数据包含已撤回的投诉')
      .attach('documents', SAMPLE_PDF, 'evidence.pdf')
      .expect(201);
    expect(filed.body).toMatchObject({
      state: 'pending',
      documents: [{ fileName: 'evidence.pdf' }],
    });
    expect((await rating(r.id)).underAppealSince).not.toBeNull();
    const again = await file(firmAdmin.token, r.id).expect(409);
    expect(again.body.code).toBe('APPEAL_EXISTS');
    const history = await t.http
      .get(`/api/v1/ratings/firms/${firmAdmin.firm.id}/history`)
      .expect(200);
    expect(history.body.current).toMatchObject({ id: r.id, underAppeal: true });
    const docs = await t.dataSource
      .getRepository(RatingDocument)
      .countBy({ appealId: filed.body.id as string });
    expect(docs).toBe(1);
  });

  it('only a reviewer independent of the original decision decides: proposer, confirmer and publisher refused, a third reviewer accepted', async () => {
    const { firmAdmin, rating: r } = await published();
    const appealId = (await file(firmAdmin.token, r.id).expect(201)).body.id as string;
    const body = { outcome: 'upheld', rationale: '数据口径无误' };
    for (const who of [a, b, admin]) {
      const res = await decide(who.token, appealId, body).expect(403);
      expect(res.body.code).toBe('APPEAL_REVIEWER_NOT_INDEPENDENT');
    }
    const linked = await loginAs(t, 'staff_reviewer');
    await t.http
      .post('/api/v1/ratings/conflicts')
      .set(...bearer(linked.token))
      .send({ firmId: firmAdmin.firm.id, note: '持有该机构股份' })
      .expect(201);
    expect((await decide(linked.token, appealId, body).expect(403)).body.code).toBe(
      'REVIEWER_CONFLICT',
    );
    expect((await decide(c.token, appealId, { outcome: 'upheld' })).body.code).toBe(
      'RATIONALE_REQUIRED',
    );
    const ok = await decide(c.token, appealId, body).expect(200);
    expect(ok.body).toMatchObject({ state: 'upheld', outcomeGrade: r.grade, decidedBy: c.id });
    expect(await rating(r.id)).toMatchObject({ status: 'current', underAppealSince: null });
    expect((await decide(c.token, appealId, body).expect(409)).body.code).toBe('APPEAL_DECIDED');
    const [mail] = await emailsTo(t, firmAdmin.email, 'rating-appeal-decided');
    expect(mail.textBody).toContain('数据口径无误');
  });

  it('a changed outcome ends the old record and publishes a new current one; both stay in the history', async () => {
    const { firmAdmin, rating: r } = await published();
    const appealId = (await file(firmAdmin.token, r.id).expect(201)).body.id as string;
    const newGrade = r.grade === 'AAA' ? 'AA' : 'AAA';
    expect(
      (await decide(c.token, appealId, { outcome: 'changed', rationale: '复核后调整' })).body.code,
    ).toBe('GRADE_INVALID');
    const ok = await decide(c.token, appealId, {
      outcome: 'changed',
      grade: newGrade,
      rationale: '复核后调整',
    }).expect(200);
    expect(ok.body).toMatchObject({ state: 'changed', outcomeGrade: newGrade });
    const old = await rating(r.id);
    expect(old).toMatchObject({ status: 'changed', endReason: 'appeal', underAppealSince: null });
    const replacement = await rating(ok.body.newRatingId as string);
    expect(replacement).toMatchObject({
      status: 'current',
      grade: newGrade,
      replacesId: r.id,
      expiresOn: r.expiresOn,
      effectiveOn: beijingDate(new Date()),
    });
    const history = await t.http
      .get(`/api/v1/ratings/firms/${firmAdmin.firm.id}/history`)
      .expect(200);
    expect(history.body.current).toMatchObject({ grade: newGrade, underAppeal: false });
    expect(history.body.history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: r.id,
          status: 'changed',
          appeal: expect.objectContaining({ state: 'changed', outcomeGrade: newGrade }),
        }),
        expect.objectContaining({ id: replacement.id, status: 'current' }),
      ]),
    );
  });

  it('lets an independent reviewer decide through the staff appeal page', async () => {
    const { firmAdmin, rating: r } = await published();
    const appealId = (await file(firmAdmin.token, r.id).expect(201)).body.id as string;
    const web = await signInWeb(t, c);
    const list = await web.get('/staff/ratings/appeals').set('Accept', 'text/html').expect(200);
    expect(list.text).toContain(`/staff/ratings/appeals/${appealId}`);
    const form = await web
      .get(`/staff/ratings/appeals/${appealId}`)
      .set('Accept', 'text/html')
      .expect(200);
    const blank = await web
      .post(`/staff/ratings/appeals/${appealId}/decide`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), outcome: 'upheld', rationale: '' })
      .expect(303);
    expect(blank.headers.location).toBe(
      `/staff/ratings/appeals/${appealId}?error=RATIONALE_REQUIRED`,
    );
    const ok = await web
      .post(`/staff/ratings/appeals/${appealId}/decide`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), outcome: 'upheld', rationale: '维持' })
      .expect(303);
    expect(ok.headers.location).toBe(`/staff/ratings/appeals/${appealId}?done=appealDecided`);
    const after = await web.get(ok.headers.location).set('Accept', 'text/html');
    expect(after.text).toContain('维持原评级');
    expect(after.text).not.toContain('data-testid="decide-form"');
  });

  it("answers 404 to another firm's users on every appeal route, and refuses a firm member filing", async () => {
    const { firmAdmin, rating: r } = await published();
    const appealId = (await file(firmAdmin.token, r.id).expect(201)).body.id as string;
    const other = await memberFirmAdmin(t);
    await t.http
      .get(`/api/v1/ratings/ratings/${r.id}/appeal-window`)
      .set(...bearer(other.token))
      .expect(404);
    expect((await file(other.token, r.id).expect(404)).body.code).toBe('RATING_NOT_FOUND');
    await t.http
      .get(`/api/v1/ratings/appeals/${appealId}`)
      .set(...bearer(other.token))
      .expect(404);
    await t.http
      .post(`/api/v1/ratings/appeals/${appealId}/documents`)
      .set(...bearer(other.token))
      .attach('file', SAMPLE_PDF, 'x.pdf')
      .expect(404);
    await t.http
      .get(`/api/v1/ratings/appeals/${appealId}`)
      .set(...bearer(firmAdmin.token))
      .expect(200);
    const member = await loginAs(t, 'firm_member', { firmId: firmAdmin.firm.id });
    await t.http
      .get(`/api/v1/ratings/appeals/${appealId}`)
      .set(...bearer(member.token))
      .expect(200);
    expect((await file(member.token, r.id).expect(403)).body.code).toBe('FORBIDDEN');
  });
});

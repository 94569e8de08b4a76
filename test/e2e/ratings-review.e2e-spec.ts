import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { FirmRating } from '../../src/modules/ratings/entities/firm-rating.entity.js';
import { RatingSubmission } from '../../src/modules/ratings/entities/rating-submission.entity.js';
import { Notification } from '../../src/modules/notifications/entities/notification.entity.js';
import { loginAs } from '../factories/index.js';
import {
  memberFirmAdmin,
  openCycle,
  publishThroughReview,
  submittedSubmission,
  type RatingsUser,
} from '../factories/ratings.js';
import { bearer, emailsTo } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('ratings review: four eyes, conflicts, publication', () => {
  let t: TestApp;
  let reviewerA: RatingsUser;
  let reviewerB: RatingsUser;
  let admin: RatingsUser;
  const today = beijingDate(new Date());

  const post = (token: string, id: string, action: string, body: object = {}) =>
    t.http
      .post(`/api/v1/ratings/submissions/${id}/${action}`)
      .set(...bearer(token))
      .send(body);
  const stored = (id: string) =>
    t.dataSource.getRepository(RatingSubmission).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await startTestApp();
    reviewerA = await loginAs(t, 'staff_reviewer');
    reviewerB = await loginAs(t, 'staff_reviewer');
    admin = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  it('shows reviewers the per-indicator breakdown whose weighted lines add up to the stored score', async () => {
    const { firm } = await memberFirmAdmin(t);
    const cycle = await openCycle(t);
    const sub = await submittedSubmission(t, cycle, firm.id);
    const res = await t.http
      .get(`/api/v1/ratings/submissions/${sub.id}/review`)
      .set(...bearer(reviewerA.token))
      .expect(200);
    const lines = res.body.breakdown as Array<{ key: string; weightedHundredths: number }>;
    expect(lines).toHaveLength(10);
    expect(lines.reduce((sum, l) => sum + l.weightedHundredths, 0)).toBe(sub.scoreHundredths);
    expect(res.body).toMatchObject({
      state: 'submitted',
      computedGrade: sub.computedGrade,
      actions: expect.arrayContaining(['return', 'propose']),
    });
    const queue = await t.http.get('/api/v1/ratings/reviews').set(...bearer(reviewerA.token));
    expect((queue.body.items as Array<{ id: string }>).map((i) => i.id)).toContain(sub.id);
  });

  it('four eyes: the proposer cannot confirm (403 SAME_REVIEWER); a second reviewer can', async () => {
    const { firm } = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firm.id);
    await post(reviewerA.token, sub.id, 'propose', { grade: sub.computedGrade }).expect(200);
    const same = await post(reviewerA.token, sub.id, 'confirm').expect(403);
    expect(same.body.code).toBe('SAME_REVIEWER');
    expect((await stored(sub.id)).state).toBe('proposed');
    const ok = await post(reviewerB.token, sub.id, 'confirm').expect(200);
    expect(ok.body.state).toBe('confirmed');
    expect(await stored(sub.id)).toMatchObject({
      proposedBy: reviewerA.id,
      confirmedBy: reviewerB.id,
    });
  });

  it('requires a written rationale when the proposed grade differs from the computed one', async () => {
    const { firm } = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firm.id);
    const other = sub.computedGrade === 'AAA' ? 'AA' : 'AAA';
    const refused = await post(reviewerA.token, sub.id, 'propose', { grade: other }).expect(400);
    expect(refused.body.code).toBe('RATIONALE_REQUIRED');
    const blank = await post(reviewerA.token, sub.id, 'propose', { grade: other, rationale: '  ' });
    expect(blank.body.code).toBe('RATIONALE_REQUIRED');
    expect((await post(reviewerA.token, sub.id, 'propose', { grade: 'Z' })).body.code).toBe(
      'GRADE_INVALID',
    );
    const ok = await post(reviewerA.token, sub.id, 'propose', {
      grade: other,
      rationale: '风险控制措施显著改善',
    }).expect(200);
    expect(ok.body).toMatchObject({ proposedGrade: other, rationale: '风险控制措施显著改善' });
  });

  it('returns a submission to the firm with a required comment, and tells the firm', async () => {
    const { firm, email } = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firm.id);
    expect((await post(reviewerA.token, sub.id, 'return', {})).body.code).toBe('COMMENT_REQUIRED');
    await post(reviewerA.token, sub.id, 'return', { comment: '请补充审计报告' }).expect(200);
    expect(await stored(sub.id)).toMatchObject({
      state: 'returned',
      returnComment: '请补充审计报告',
    });
    const [mail] = await emailsTo(t, email, 'rating-review-returned');
    expect(mail.textBody).toContain('请补充审计报告');
  });

  it('send back returns a proposal to review with a comment; the proposal is cleared', async () => {
    const { firm } = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firm.id);
    await post(reviewerA.token, sub.id, 'propose', { grade: sub.computedGrade }).expect(200);
    expect((await post(reviewerB.token, sub.id, 'send-back', {})).body.code).toBe(
      'COMMENT_REQUIRED',
    );
    await post(reviewerB.token, sub.id, 'send-back', { comment: '逾期率数据需核实' }).expect(200);
    expect(await stored(sub.id)).toMatchObject({ state: 'submitted', proposedGrade: null });
  });

  it('a reviewer with a declared link is refused on every step (REVIEWER_CONFLICT) and does not see it queued', async () => {
    const { firm } = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firm.id);
    const linked = await loginAs(t, 'staff_reviewer');
    await t.http
      .post('/api/v1/ratings/conflicts')
      .set(...bearer(linked.token))
      .send({ firmId: firm.id, note: '配偶在该机构任职' })
      .expect(201);
    for (const [action, body] of [
      ['propose', { grade: sub.computedGrade }],
      ['return', { comment: '请补充' }],
    ] as const) {
      const res = await post(linked.token, sub.id, action, body).expect(403);
      expect(res.body.code).toBe('REVIEWER_CONFLICT');
    }
    await t.http
      .get(`/api/v1/ratings/submissions/${sub.id}/review`)
      .set(...bearer(linked.token))
      .expect(403);
    const queue = await t.http.get('/api/v1/ratings/reviews').set(...bearer(linked.token));
    expect((queue.body.items as Array<{ id: string }>).map((i) => i.id)).not.toContain(sub.id);
    await post(reviewerA.token, sub.id, 'propose', { grade: sub.computedGrade }).expect(200);
    const confirm = await post(linked.token, sub.id, 'confirm').expect(403);
    expect(confirm.body.code).toBe('REVIEWER_CONFLICT');
  });

  it('lets a reviewer withdraw their own declared link but not another reviewer’s', async () => {
    const { firm } = await memberFirmAdmin(t);
    const declared = await t.http
      .post('/api/v1/ratings/conflicts')
      .set(...bearer(reviewerA.token))
      .send({ firmId: firm.id, note: '曾任顾问' })
      .expect(201);
    const id = declared.body.id as string;
    await t.http
      .delete(`/api/v1/ratings/conflicts/${id}`)
      .set(...bearer(reviewerB.token))
      .expect(404);
    await t.http
      .delete(`/api/v1/ratings/conflicts/${id}`)
      .set(...bearer(reviewerA.token))
      .expect(204);
    const list = await t.http.get('/api/v1/ratings/conflicts').set(...bearer(reviewerA.token));
    expect((list.body.items as Array<{ id: string }>).map((c) => c.id)).not.toContain(id);
  });

  it('only a staff admin publishes; the rating is current from today for 12 months less a day and supersedes the previous one', async () => {
    const { firm, email } = await memberFirmAdmin(t);
    const first = await submittedSubmission(t, await openCycle(t), firm.id);
    await post(reviewerA.token, first.id, 'propose', { grade: first.computedGrade }).expect(200);
    await post(reviewerB.token, first.id, 'confirm').expect(200);
    const refused = await post(reviewerA.token, first.id, 'publish').expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const published = await post(admin.token, first.id, 'publish').expect(200);
    expect(published.body).toMatchObject({ effectiveOn: today, grade: first.computedGrade });
    const [y, m, d] = today.split('-').map(Number);
    const sameDayNextYear = `${y + 1}-${String(m).padStart(2, '0')}-${String(m === 2 && d === 29 ? 28 : d).padStart(2, '0')}`;
    expect(published.body.expiresOn).toBe(addDays(sameDayNextYear, -1));
    const [mail] = await emailsTo(t, email, 'rating-published');
    expect(mail.textBody).toContain(first.computedGrade);

    const second = await submittedSubmission(t, await openCycle(t), firm.id, {
      paid_in_capital: '200000',
    });
    const next = await publishThroughReview(t, second, reviewerB, reviewerA, admin);
    const rows = await t.dataSource.getRepository(FirmRating).findBy({ firmId: firm.id });
    expect(rows.find((r) => r.id === published.body.id)).toMatchObject({
      status: 'superseded',
      endReason: 'next_rating',
    });
    expect(rows.find((r) => r.id === next.id)).toMatchObject({ status: 'current' });
    expect(rows.filter((r) => r.status === 'current')).toHaveLength(1);
    const notices = await t.dataSource
      .getRepository(Notification)
      .countBy({ kind: 'ratings.published' });
    expect(notices).toBeGreaterThanOrEqual(2);
  });

  it('refuses firm users on review routes', async () => {
    const { firm, token } = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firm.id);
    await t.http
      .get(`/api/v1/ratings/submissions/${sub.id}/review`)
      .set(...bearer(token))
      .expect(403);
    await post(token, sub.id, 'propose', { grade: 'AAA' }).expect(403);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { FirmRating } from '../../src/modules/ratings/entities/firm-rating.entity.js';
import { RatingReviewEvent } from '../../src/modules/ratings/entities/rating-review-event.entity.js';
import { ExpiryService, RATINGS_EXPIRY_JOB } from '../../src/modules/ratings/expiry.service.js';
import { RatingsQueryService } from '../../src/modules/ratings/ratings-query.service.js';
import { SchedulerService } from '../../src/modules/scheduler/scheduler.service.js';
import { loginAs } from '../factories/index.js';
import {
  memberFirmAdmin,
  openCycle,
  publishThroughReview,
  submittedSubmission,
  type RatingsUser,
} from '../factories/ratings.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('rating expiry and withdrawal', () => {
  let t: TestApp;
  let a: RatingsUser;
  let b: RatingsUser;
  let admin: RatingsUser;
  const now = new Date();
  const today = beijingDate(now);

  const rating = (id: string) => t.dataSource.getRepository(FirmRating).findOneByOrFail({ id });
  const published = async (expiresOn?: string) => {
    const firmAdmin = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firmAdmin.firm.id);
    const r = await publishThroughReview(t, sub, a, b, admin);
    if (expiresOn) await writeDb(t, (m) => m.update(FirmRating, { id: r.id }, { expiresOn }));
    return { firm: firmAdmin.firm, ratingId: r.id };
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await loginAs(t, 'staff_reviewer');
    b = await loginAs(t, 'staff_reviewer');
    admin = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  it('keeps a rating expiring today current today and expires it the day after, exactly once', async () => {
    const endsToday = await published(today);
    const endedYesterday = await published(addDays(today, -1));
    const expiry = t.app.get(ExpiryService);
    await t.app.get(SchedulerService).runNow(RATINGS_EXPIRY_JOB, now);
    expect(await rating(endsToday.ratingId)).toMatchObject({ status: 'current', endedAt: null });
    const expired = await rating(endedYesterday.ratingId);
    expect(expired).toMatchObject({ status: 'expired', endReason: 'expired' });
    const again = await expiry.expire(now);
    expect(again.expired).toBe(0);
    expect((await rating(endedYesterday.ratingId)).endedAt).toEqual(expired.endedAt);
    expect(
      await t.dataSource
        .getRepository(RatingReviewEvent)
        .countBy({ firmId: endedYesterday.firm.id, action: 'rating_expired' }),
    ).toBe(1);
    // The next day (Beijing) the one that ended today expires too.
    await expiry.expire(new Date(now.getTime() + 86_400_000));
    expect(await rating(endsToday.ratingId)).toMatchObject({ status: 'expired' });
    expect(await t.app.get(RatingsQueryService).currentRating(endsToday.firm.id)).toBeNull();
  });

  const transition = (firm: Firm, body: Record<string, unknown>) =>
    t.http
      .post(`/api/v1/firms/${firm.id}/status-transitions`)
      .set(...bearer(admin.token))
      .send({ ...body, version: firm.version });

  it('withdraws the current rating when the firm is suspended', async () => {
    const { firm, ratingId } = await published();
    const fresh = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id });
    await transition(fresh, {
      action: 'suspend',
      reasonCategory: 'misconduct',
      reason: '未按期披露信息',
      until: addDays(today, 30),
    }).expect(201);
    expect(await rating(ratingId)).toMatchObject({
      status: 'withdrawn',
      endReason: 'membership.suspended',
    });
    const history = await t.http.get(`/api/v1/ratings/firms/${firm.id}/history`).expect(200);
    expect(history.body.current).toBeNull();
    expect(history.body.history[0]).toMatchObject({ id: ratingId, status: 'withdrawn' });
  });

  it('withdraws the current rating when the firm is expelled', async () => {
    const { firm, ratingId } = await published();
    const fresh = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id });
    await transition(fresh, {
      action: 'expel',
      reasonCategory: 'misconduct',
      reason: '严重违规',
      decisionRef: '深互金协〔2026〕12号',
    }).expect(201);
    expect(await rating(ratingId)).toMatchObject({
      status: 'withdrawn',
      endReason: 'membership.expelled',
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthContext } from '../../src/common/auth/auth-context.js';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { ReviewHomeTasks } from '../../src/modules/ratings/review-home-tasks.js';
import { loginAs, type CreatedUser } from '../factories/index.js';
import {
  memberFirmAdmin,
  openCycle,
  publishThroughReview,
  submittedSubmission,
} from '../factories/ratings.js';
import { bearer } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('ratings home tasks', () => {
  let t: TestApp;

  const viewer = (user: CreatedUser): AuthContext => ({
    user: { id: user.id, role: user.role, firmId: user.firmId, name: 'x', email: user.email },
    sessionId: 's',
    pendingStep: null,
    emailVerified: true,
    mfaEnabled: false,
  });
  const tasksOf = (user: CreatedUser) => t.app.get(ReviewHomeTasks).tasksFor(viewer(user), 'zh-CN');

  beforeAll(async () => {
    t = await startTestApp({ RATING_APPEAL_DAYS: '15' });
  });
  afterAll(() => t.close());

  it('tells reviewers what to review and confirm (not their own proposals nor linked firms), and the firm until when it may appeal', async () => {
    const a = await loginAs(t, 'staff_reviewer');
    const b = await loginAs(t, 'staff_reviewer');
    const linked = await loginAs(t, 'staff_reviewer');
    const admin = await loginAs(t, 'staff_admin');
    const cycle = await openCycle(t);
    const first = await memberFirmAdmin(t);
    const second = await memberFirmAdmin(t);
    await submittedSubmission(t, cycle, first.firm.id);
    const proposed = await submittedSubmission(t, cycle, second.firm.id);
    await t.http
      .post(`/api/v1/ratings/submissions/${proposed.id}/propose`)
      .set(...bearer(a.token))
      .send({ grade: proposed.computedGrade })
      .expect(200);
    await t.http
      .post('/api/v1/ratings/conflicts')
      .set(...bearer(linked.token))
      .send({ firmId: first.firm.id, note: '亲属任职' })
      .expect(201);

    expect((await tasksOf(a)).map((task) => [task.id, task.title])).toEqual([
      ['ratings.toReview', '1 份评级申报待评审'],
    ]);
    expect((await tasksOf(b)).map((task) => task.id)).toEqual([
      'ratings.toReview',
      'ratings.toConfirm',
    ]);
    expect((await tasksOf(linked)).map((task) => task.id)).toEqual(['ratings.toConfirm']);

    const third = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, cycle, third.firm.id);
    const rating = await publishThroughReview(t, sub, a, b, admin);
    const lastDay = addDays(beijingDate(new Date()), 15);
    expect(await tasksOf(third)).toEqual([
      expect.objectContaining({
        id: 'ratings.appealWindow',
        title: `信用等级 ${rating.grade} 已发布，可于 ${lastDay} 前提出申诉`,
        href: `/firm/ratings/ratings/${rating.id}/appeal`,
      }),
    ]);
    await t.http
      .post(`/api/v1/ratings/ratings/${rating.id}/appeal`)
      .set(...bearer(third.token))
      .send({ reasons: '有异议' })
      .expect(201);
    expect(await tasksOf(third)).toEqual([]);
    expect((await tasksOf(linked)).map((task) => task.id)).toContain('ratings.appeals');
  });
});

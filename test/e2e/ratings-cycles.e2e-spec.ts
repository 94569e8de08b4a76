import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate, startOfBeijingDate } from '../../src/common/time/beijing.js';
import { Notification } from '../../src/modules/notifications/entities/notification.entity.js';
import { CyclesService } from '../../src/modules/ratings/cycles.service.js';
import { RATING_CYCLES_JOB } from '../../src/modules/ratings/ratings-jobs-cycles.js';
import { SchedulerService } from '../../src/modules/scheduler/scheduler.service.js';
import { RatingCycle } from '../../src/modules/ratings/entities/rating-cycle.entity.js';
import { createFirm, loginAs, type CreatedUser } from '../factories/index.js';
import { defaultScorecardId, openCycle, ratedFirmAdmin, submitFor } from '../factories/ratings.js';
import { bearer, emailsTo } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Token = CreatedUser & { token: string };

describe('ratings: cycles', () => {
  let t: TestApp;
  let admin: Token;
  let scorecardId: string;
  const today = beijingDate(new Date());

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
    scorecardId = await defaultScorecardId(t);
  });
  afterAll(() => t.close());

  const api = (method: 'get' | 'post' | 'patch', path: string, token: string, body?: object) => {
    const req = t.http[method](`/api/v1/ratings/cycles${path}`).set(...bearer(token));
    return body ? req.send(body) : req;
  };
  const input = (overrides: Record<string, string> = {}) => ({
    nameZh: '2026 年度评级',
    nameEn: '2026 annual rating',
    scorecardId,
    periodFrom: '2025-01-01',
    periodTo: '2025-12-31',
    opensOn: today,
    closesOn: addDays(today, 30),
    ...overrides,
  });
  const cycleOf = (id: string) => t.dataSource.getRepository(RatingCycle).findOneByOrFail({ id });

  describe('creation date rules', () => {
    it('creates a draft cycle on a published scorecard', async () => {
      const res = await api('post', '', admin.token, input()).expect(201);
      expect(res.body.state).toBe('draft');
      expect(res.body.scorecardNumber).toBe(1);
    });

    it.each([
      ['a period that runs backwards', { periodFrom: '2025-12-31', periodTo: '2025-01-01' }],
      [
        'a window that closes before it opens',
        { opensOn: addDays(today, 5), closesOn: addDays(today, 4) },
      ],
      [
        'a window that closed yesterday',
        { opensOn: addDays(today, -10), closesOn: addDays(today, -1) },
      ],
      ['a date that does not exist', { periodTo: '2025-02-30' }],
    ])('refuses %s', async (_label, overrides) => {
      const res = await api('post', '', admin.token, input(overrides)).expect(400);
      expect(res.body.code).toBe('CYCLE_DATES_INVALID');
    });

    it('accepts a window closing today', async () => {
      await api('post', '', admin.token, input({ closesOn: today })).expect(201);
    });

    it('refuses a draft scorecard version', async () => {
      const draft = await t.http
        .post('/api/v1/ratings/scorecards')
        .set(...bearer(admin.token))
        .send({})
        .expect(201);
      const res = await api('post', '', admin.token, input({ scorecardId: draft.body.id })).expect(
        409,
      );
      expect(res.body.code).toBe('SCORECARD_NOT_PUBLISHED');
    });

    it('lets only staff admins create cycles', async () => {
      const reviewer = await loginAs(t, 'staff_reviewer');
      await api('post', '', reviewer.token, input()).expect(403);
      const firm = await loginAs(t, 'firm_admin');
      await api('post', '', firm.token, input()).expect(403);
    });
  });

  describe('opening', () => {
    it('notifies the admins of every active member firm by notice and e-mail, not suspended firms', async () => {
      const active = await ratedFirmAdmin(t);
      const suspendedFirm = await createFirm(t, { status: 'suspended' });
      const suspended = await loginAs(t, 'firm_admin', { firmId: suspendedFirm.id });
      const created = await api('post', '', admin.token, input()).expect(201);
      const res = await api('post', `/${created.body.id}/open`, admin.token).expect(200);
      expect(res.body.state).toBe('open');
      const mails = await emailsTo(t, active.email, 'rating-cycle-opened');
      expect(mails).toHaveLength(1);
      expect(mails[0].textBody).toContain(`/firm/ratings/cycles/${created.body.id}`);
      const notices = await t.dataSource
        .getRepository(Notification)
        .findBy({ userId: active.id, kind: 'ratings.cycle_opened' });
      expect(notices).toHaveLength(1);
      expect(await emailsTo(t, suspended.email, 'rating-cycle-opened')).toHaveLength(0);
    });

    it('opens only a draft, and edits only a draft', async () => {
      const created = await api('post', '', admin.token, input()).expect(201);
      await api('patch', `/${created.body.id}`, admin.token, { nameEn: 'Renamed' }).expect(200);
      await api('post', `/${created.body.id}/open`, admin.token).expect(200);
      const again = await api('post', `/${created.body.id}/open`, admin.token).expect(409);
      expect(again.body.code).toBe('CYCLE_NOT_DRAFT');
      const edit = await api('patch', `/${created.body.id}`, admin.token, { nameEn: 'x' }).expect(
        409,
      );
      expect(edit.body.code).toBe('CYCLE_NOT_DRAFT');
    });

    it('shows firm users open cycles but not drafts', async () => {
      const firm = await ratedFirmAdmin(t);
      const created = await api('post', '', admin.token, input()).expect(201);
      await api('get', `/${created.body.id}`, firm.token).expect(404);
      await api('post', `/${created.body.id}/open`, admin.token).expect(200);
      await api('get', `/${created.body.id}`, firm.token).expect(200);
    });
  });

  describe('closing', () => {
    it('closes an open cycle by hand, once', async () => {
      const cycle = await openCycle(t);
      const res = await api('post', `/${cycle.id}/close`, admin.token).expect(200);
      expect(res.body.state).toBe('closed');
      const again = await api('post', `/${cycle.id}/close`, admin.token).expect(409);
      expect(again.body.code).toBe('CYCLE_NOT_OPEN');
    });

    it('the daily job closes cycles whose window ended before today, not those closing today', async () => {
      const cycles = t.app.get(CyclesService);
      const past = await openCycle(t, {
        opensOn: addDays(today, -20),
        closesOn: addDays(today, -1),
      });
      const closingToday = await openCycle(t, { closesOn: today });
      await cycles.closeExpired(new Date());
      expect((await cycleOf(past.id)).state).toBe('closed');
      expect((await cycleOf(closingToday.id)).state).toBe('open');
      expect(await cycles.closeExpired(new Date())).toBe(0);
    });

    it('runs as the registered daily job, once per Beijing day', async () => {
      const past = await openCycle(t, {
        opensOn: addDays(today, -20),
        closesOn: addDays(today, -2),
      });
      const scheduler = t.app.get(SchedulerService);
      const first = await scheduler.runNow(RATING_CYCLES_JOB, new Date());
      expect(first.ran).toBe(true);
      expect((await cycleOf(past.id)).state).toBe('closed');
      expect((await scheduler.runNow(RATING_CYCLES_JOB, new Date())).ran).toBe(false);
    });
  });

  describe('reminders', () => {
    it('e-mails firms that have not submitted 7 days and 1 day before closing, each once', async () => {
      const cycles = t.app.get(CyclesService);
      const closesOn = addDays(today, 30);
      const cycle = await openCycle(t, { closesOn });
      const waiting = await ratedFirmAdmin(t);
      const done = await ratedFirmAdmin(t);
      await submitFor(t, done, cycle);
      const at = (date: string) => new Date(startOfBeijingDate(date).getTime() + 9 * 3_600_000);
      const remindersTo = async (email: string) =>
        (await emailsTo(t, email, 'rating-cycle-reminder')).filter((m) =>
          m.textBody.includes(cycle.id),
        );
      const reminders = () => remindersTo(waiting.email);

      await cycles.sendReminders(at(addDays(closesOn, -8)));
      expect(await reminders()).toHaveLength(0);
      await cycles.sendReminders(at(addDays(closesOn, -7)));
      await cycles.sendReminders(at(addDays(closesOn, -7)));
      expect(await reminders()).toHaveLength(1);
      expect((await reminders())[0].textBody).toContain('7');
      await cycles.sendReminders(at(addDays(closesOn, -1)));
      await cycles.sendReminders(at(addDays(closesOn, -1)));
      expect(await reminders()).toHaveLength(2);
      expect(await remindersTo(done.email)).toHaveLength(0);
    });
  });
});

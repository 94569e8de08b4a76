import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { CalendarService } from '../../src/modules/disputes/calendar.service.js';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import { createTicket } from '../factories/disputes.js';
import { createUser, loginAs, type CreatedUser } from '../factories/index.js';
import { bearer } from '../helpers/auth-flows.js';
import { csrfFrom, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Signed = CreatedUser & { token: string };

const isWeekend = (date: string): boolean => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
};

describe('working-day calendar', () => {
  let t: TestApp;
  let admin: Signed;
  let reviewer: Signed;

  const calendarApi = (path = ''): string => `/api/v1/disputes/calendar${path}`;

  /** Accepts a fresh ticket now and returns the due date of the firm's response clock. */
  const acceptAndDue = async (): Promise<{ ticketId: string; dueOn: string }> => {
    const ticket = await createTicket(t);
    await t.http
      .post(`/api/v1/disputes/tickets/${ticket.id}/accept`)
      .set(...bearer(admin.token))
      .send({})
      .expect(200);
    const clock = await t.dataSource
      .getRepository(DisputeDeadline)
      .findOneByOrFail({ ticketId: ticket.id, kind: 'firm_response' });
    return { ticketId: ticket.id, dueOn: clock.dueOn };
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
    reviewer = await loginAs(t, 'staff_reviewer');
  });

  afterAll(async () => {
    await t.close();
  });

  it('ships the 2026 holidays and adjusted working days; staff read them, others may not', async () => {
    const res = await t.http.get(calendarApi('?year=2026')).set(...bearer(reviewer.token));
    expect(res.status).toBe(200);
    const days = res.body.items as Array<{ date: string; kind: string }>;
    expect(days).toContainEqual(expect.objectContaining({ date: '2026-10-01', kind: 'holiday' }));
    expect(days).toContainEqual(expect.objectContaining({ date: '2026-10-10', kind: 'workday' }));
    expect(days.map((d) => d.date)).toEqual([...days.map((d) => d.date)].sort());
    expect((await t.http.get(calendarApi('?year=2026'))).status).toBe(401);
    const firm = await loginAs(t, 'firm_admin');
    expect((await t.http.get(calendarApi('?year=2026')).set(...bearer(firm.token))).status).toBe(
      403,
    );
    expect((await t.http.get(calendarApi('?year=abc')).set(...bearer(reviewer.token))).status).toBe(
      400,
    );
  });

  it('a newly declared holiday moves the due date of clocks started afterwards, not running ones', async () => {
    const today = beijingDate(new Date());
    const before = await acceptAndDue();
    // The first weekday after today that is a working day now.
    const calendar = await t.app.get(CalendarService).calendar();
    let holiday = addDays(today, 1);
    while (isWeekend(holiday) || !calendar.isWorkingDay(holiday)) holiday = addDays(holiday, 1);

    expect(
      (
        await t.http
          .put(calendarApi(`/${holiday}`))
          .set(...bearer(reviewer.token))
          .send({ kind: 'holiday', nameZh: '临时休假', nameEn: 'Extra holiday' })
      ).status,
    ).toBe(403);
    const put = await t.http
      .put(calendarApi(`/${holiday}`))
      .set(...bearer(admin.token))
      .send({ kind: 'holiday', nameZh: '临时休假', nameEn: 'Extra holiday' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ date: holiday, kind: 'holiday', nameZh: '临时休假' });

    const after = await acceptAndDue();
    const updated = await t.app.get(CalendarService).calendar();
    expect(after.dueOn).toBe(updated.addWorkingDays(today, 5));
    expect(after.dueOn > before.dueOn).toBe(true);
    // The clock that was already running keeps its date.
    const kept = await t.dataSource
      .getRepository(DisputeDeadline)
      .findOneByOrFail({ ticketId: before.ticketId, kind: 'firm_response' });
    expect(kept.dueOn).toBe(before.dueOn);

    const del = await t.http.delete(calendarApi(`/${holiday}`)).set(...bearer(admin.token));
    expect(del.status).toBe(204);
    expect((await acceptAndDue()).dueOn).toBe(before.dueOn);
    const again = await t.http.delete(calendarApi(`/${holiday}`)).set(...bearer(admin.token));
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('CALENDAR_DAY_NOT_FOUND');
  });

  it('refuses a holiday on a weekend and a working day on a weekday', async () => {
    const saturday = await t.http
      .put(calendarApi('/2026-12-05'))
      .set(...bearer(admin.token))
      .send({ kind: 'holiday', nameZh: '周六', nameEn: 'Saturday' });
    expect(saturday.status).toBe(400);
    expect(saturday.body.code).toBe('CALENDAR_DATE_INVALID');
    const tuesday = await t.http
      .put(calendarApi('/2026-12-08'))
      .set(...bearer(admin.token))
      .send({ kind: 'workday', nameZh: '周二', nameEn: 'Tuesday' });
    expect(tuesday.status).toBe(400);
  });

  describe('page', () => {
    it('lists a year; staff admins add and remove dates, with errors shown beside the field', async () => {
      const user = await createUser(t, { role: 'staff_admin' });
      const agent = await signInWeb(t, user);
      const page = await agent.get('/staff/disputes/calendar?year=2026').set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('国庆节');
      expect(page.text).toContain('data-testid="calendar-form"');
      const _csrf = csrfFrom(page.text);

      const bad = await agent
        .post('/staff/disputes/calendar')
        .type('form')
        .send({ _csrf, date: '2026-12-05', kind: 'holiday', nameZh: '周六', nameEn: 'Sat' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('data-testid="error-summary"');
      expect(bad.text).toContain('value="2026-12-05"');

      const add = await agent.post('/staff/disputes/calendar').type('form').send({
        _csrf,
        date: '2026-12-07',
        kind: 'holiday',
        nameZh: '<b>测试假日</b>',
        nameEn: 'Test',
      });
      expect(add.status).toBe(303);
      expect(add.headers.location).toBe('/staff/disputes/calendar?year=2026&done=saved');
      const listed = await agent.get(add.headers.location).set('Accept', 'text/html');
      expect(listed.text).toContain('data-date="2026-12-07"');
      expect(listed.text).toContain('&lt;b&gt;测试假日');
      expect(listed.text).not.toContain('<b>测试假日');

      const removed = await agent
        .post('/staff/disputes/calendar/2026-12-07/delete')
        .type('form')
        .send({ _csrf });
      expect(removed.status).toBe(303);
      const gone = await agent.get('/staff/disputes/calendar?year=2026').set('Accept', 'text/html');
      expect(gone.text).not.toContain('data-date="2026-12-07"');
    });

    it('is read-only for reviewers', async () => {
      const user = await createUser(t, { role: 'staff_reviewer' });
      const agent = await signInWeb(t, user);
      const page = await agent.get('/staff/disputes/calendar?year=2026').set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('data-testid="calendar-form"');
      const _csrf = csrfFrom(page.text);
      const res = await agent
        .post('/staff/disputes/calendar')
        .type('form')
        .send({ _csrf, date: '2026-12-07', kind: 'holiday', nameZh: '假', nameEn: 'x' });
      expect(res.status).toBe(403);
    });
  });
});

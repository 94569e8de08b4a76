import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthContext } from '../../src/common/auth/auth-context.js';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { DeadlinesService } from '../../src/modules/disputes/deadlines.service.js';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import type { DeadlineKind } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import type { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { DisputeSurvey } from '../../src/modules/disputes/entities/dispute-survey.entity.js';
import { DisputeTimelineEntry } from '../../src/modules/disputes/entities/dispute-timeline-entry.entity.js';
import { DISPUTES_OVERDUE_JOB } from '../../src/modules/disputes/overdue.service.js';
import { WorkflowHomeTasks } from '../../src/modules/disputes/workflow-home-tasks.js';
import {
  DisputeStatisticsService,
  type FirmDisputeStatistics,
} from '../../src/modules/disputes/statistics.service.js';
import { Notification } from '../../src/modules/notifications/entities/notification.entity.js';
import { SchedulerService } from '../../src/modules/scheduler/scheduler.service.js';
import { createTicket, ticketWithParties, type TicketSetup } from '../factories/disputes.js';
import { loginAs, type CreatedUser } from '../factories/index.js';
import { bearer, emailsTo, writeDb } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('overdue deadlines', () => {
  let t: TestApp;
  let staff: CreatedUser & { token: string };
  let late: TicketSetup;
  let lateTriage: DisputeTicket;
  const now = new Date();
  const today = beijingDate(now);

  /** Starts a clock on the ticket and moves its due date to `dueOn`. */
  const clockDue = async (
    ticket: DisputeTicket,
    kind: DeadlineKind,
    dueOn: string,
  ): Promise<DisputeDeadline> =>
    writeDb(t, async (m) => {
      const clock = await t.app.get(DeadlinesService).start(m, ticket, kind, now);
      await m.update(DisputeDeadline, { id: clock.id }, { dueOn });
      return { ...clock, dueOn };
    });
  const clock = (id: string): Promise<DisputeDeadline> =>
    t.dataSource.getRepository(DisputeDeadline).findOneByOrFail({ id });
  const run = (at: Date) => t.app.get(SchedulerService).runNow(DISPUTES_OVERDUE_JOB, at);
  const mails = (email: string) => emailsTo(t, email, 'dispute-workflow-update');

  beforeAll(async () => {
    t = await startTestApp();
    staff = await loginAs(t, 'staff_admin');
    late = await ticketWithParties(t, { state: 'awaiting_response' });
    lateTriage = await createTicket(t, { firmId: late.firmId });
  });

  afterAll(async () => {
    await t.close();
  });

  it('marks a clock past its due date once, tells staff and (for a response) the firm, and is idempotent', async () => {
    const response = await clockDue(late.ticket, 'firm_response', addDays(today, -2));
    const triage = await clockDue(lateTriage, 'triage', addDays(today, -1));
    const dueToday = await clockDue((await ticketWithParties(t)).ticket, 'triage', today);

    const first = await run(now);
    expect(first.ran).toBe(true);
    const marked = await clock(response.id);
    expect(marked.breachedAt).not.toBeNull();
    expect(marked.status).toBe('open');
    expect((await clock(triage.id)).breachedAt).not.toBeNull();
    // Due today is still on time.
    expect((await clock(dueToday.id)).breachedAt).toBeNull();

    const entries = await t.dataSource
      .getRepository(DisputeTimelineEntry)
      .findBy({ ticketId: late.ticket.id, action: 'deadline_breached' });
    expect(entries).toHaveLength(1);
    expect(entries[0].audience).toBe('all');

    const staffMails = await mails(staff.email);
    expect(staffMails).toHaveLength(2);
    expect(staffMails.map((m) => m.subject).join(' ')).toContain(late.ticket.number);
    // The firm hears about its own late response, not about the association's late triage.
    const firmMails = await mails(late.firmAdmin.email);
    expect(firmMails).toHaveLength(1);
    expect(firmMails[0].subject).toContain('已逾期');
    const inApp = await t.dataSource
      .getRepository(Notification)
      .findBy({ userId: late.firmAdmin.id, kind: 'disputes.overdue' });
    expect(inApp).toHaveLength(1);

    // The same day again: the scheduler does not run it twice.
    expect((await run(now)).ran).toBe(false);
    // The next day: only the clock that fell due yesterday is new; nothing is marked or sent twice.
    const next = await run(new Date(now.getTime() + 86_400_000));
    expect(next).toMatchObject({ ran: true, outcome: { breached: 1 } });
    expect((await clock(dueToday.id)).breachedAt).not.toBeNull();
    expect((await clock(response.id)).breachedAt).toEqual(marked.breachedAt);
    expect(await mails(staff.email)).toHaveLength(3);
    expect(await mails(late.firmAdmin.email)).toHaveLength(1);
    expect(
      await t.dataSource
        .getRepository(DisputeTimelineEntry)
        .countBy({ ticketId: late.ticket.id, action: 'deadline_breached' }),
    ).toBe(1);
  });

  it('puts triage, overdue and response tasks on the home page of staff and firms', async () => {
    const homeTasks = t.app.get(WorkflowHomeTasks);
    const viewer = (user: CreatedUser): AuthContext => ({
      user: { id: user.id, role: user.role, firmId: user.firmId, name: 'x', email: user.email },
      sessionId: 's',
      pendingStep: null,
      emailVerified: true,
      mfaEnabled: false,
    });
    const staffTasks = await homeTasks.tasksFor(viewer(staff), 'zh-CN');
    expect(staffTasks.map((task) => task.id)).toEqual(['disputes.triage', 'disputes.overdue']);
    expect(staffTasks[1].priority).toBe('urgent');
    const firmTasks = await homeTasks.tasksFor(viewer(late.firmAdmin), 'en');
    expect(firmTasks).toEqual([
      expect.objectContaining({
        id: 'disputes.respond',
        title: 'Complaints awaiting your response: 1',
      }),
    ]);
    const complainant = await homeTasks.tasksFor(viewer(late.complainant), 'zh-CN');
    expect(complainant).toEqual([]);
  });

  it('lists overdue clocks for staff only', async () => {
    const res = await t.http.get('/api/v1/disputes/deadlines/overdue').set(...bearer(staff.token));
    expect(res.status).toBe(200);
    const numbers = (res.body.items as Array<{ number: string; kind: string }>).map(
      (i) => `${i.number}:${i.kind}`,
    );
    expect(numbers).toContain(`${late.ticket.number}:firm_response`);
    expect(
      (await t.http.get('/api/v1/disputes/deadlines/overdue').set(...bearer(late.firmAdmin.token)))
        .status,
    ).toBe(403);
  });

  it('counts a late response against the firm, even once it is given', async () => {
    const stats = (): Promise<FirmDisputeStatistics> =>
      t.app.get(DisputeStatisticsService).forFirm(late.firmId, {});
    expect(await stats()).toMatchObject({ overdueResponses: 1, responsesMet: 0, filed: 2 });

    const res = await t.http
      .post(`/api/v1/disputes/tickets/${late.ticket.id}/respond`)
      .set(...bearer(late.firmAdmin.token))
      .send({ response: '抱歉回复晚了。' });
    expect(res.status).toBe(200);
    const answered = await t.dataSource
      .getRepository(DisputeDeadline)
      .findOneByOrFail({ ticketId: late.ticket.id, kind: 'firm_response' });
    expect(answered.status).toBe('met');
    expect(answered.breachedAt).not.toBeNull();
    expect(await stats()).toMatchObject({ overdueResponses: 1, responsesMet: 0 });

    // A response on time counts for the firm.
    const onTime = await createTicket(t, { state: 'awaiting_response', firmId: late.firmId });
    await clockDue(onTime, 'firm_response', addDays(today, 3));
    await t.http
      .post(`/api/v1/disputes/tickets/${onTime.id}/respond`)
      .set(...bearer(late.firmAdmin.token))
      .send({ response: '已处理。' })
      .expect(200);
    expect(await stats()).toMatchObject({ overdueResponses: 1, responsesMet: 1 });

    // Ratings given in the period are averaged.
    await writeDb(t, (m) =>
      m.insert(DisputeSurvey, [
        {
          ticketId: late.ticket.id,
          complainantUserId: late.complainant.id,
          mediatorUserId: null,
          firmId: late.firmId,
          rating: 4,
          comment: null,
          submittedAt: now,
        },
        {
          ticketId: onTime.id,
          complainantUserId: onTime.complainantUserId,
          mediatorUserId: null,
          firmId: late.firmId,
          rating: 1,
          comment: '慢',
          submittedAt: now,
        },
      ]),
    );
    expect(await stats()).toMatchObject({ ratings: 2, averageRating: 2.5 });

    const api = await t.http
      .get(
        `/api/v1/disputes/statistics/firms/${late.firmId}?from=${addDays(today, -30)}&to=${today}`,
      )
      .set(...bearer(staff.token));
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ firmId: late.firmId, overdueResponses: 1, responsesMet: 1 });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { LoginFailure } from '../../src/modules/auth/entities/login-failure.entity.js';
import { CalendarService } from '../../src/modules/disputes/calendar.service.js';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { Settlement } from '../../src/modules/disputes/entities/settlement.entity.js';
import {
  PerformanceService,
  reopenWindowEnd,
  SETTLEMENT_LAPSE_JOB,
} from '../../src/modules/disputes/performance.service.js';
import { SchedulerService } from '../../src/modules/scheduler/scheduler.service.js';
import {
  createTicket,
  mediationWithSignatory,
  sendSettlement,
  signSettlementByBoth,
  type SettlementSetup,
} from '../factories/disputes.js';
import { loginAs } from '../factories/index.js';
import { bearer, emailsTo, writeDb } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('disputes after settlement: performance, confirmation, reopening and the lapse job', () => {
  let t: TestApp;
  /** Performance deadlines whose reopen window ends today (allowed) and yesterday (refused). */
  let lastAllowedDeadline: string;
  let firstRefusedDeadline: string;

  beforeAll(async () => {
    t = await startTestApp();
    const calendar = await t.app.get(CalendarService).calendar();
    const today = beijingDate(new Date());
    let d = today;
    while (reopenWindowEnd(calendar, d) >= today) d = addDays(d, -1);
    firstRefusedDeadline = d;
    lastAllowedDeadline = addDays(d, 1);
  });
  afterAll(() => t.close());
  beforeEach(() => writeDb(t, (m) => m.clear(LoginFailure)));

  async function settled(): Promise<SettlementSetup & { settlementId: string }> {
    const s = await mediationWithSignatory(t);
    const settlementId = String((await sendSettlement(t, s)).id);
    await signSettlementByBoth(t, s, settlementId);
    return { ...s, settlementId };
  }
  const setDeadline = (settlementId: string, performanceDeadline: string) =>
    writeDb(t, (m) => m.update(Settlement, { id: settlementId }, { performanceDeadline }));
  const ticketOf = (id: string) =>
    t.dataSource.getRepository(DisputeTicket).findOneByOrFail({ id });
  const reopen = (s: SettlementSetup, reason = '机构未按期退款。') =>
    t.http
      .post(`/api/v1/disputes/tickets/${s.ticket.id}/reopen`)
      .set(...bearer(s.complainant.token))
      .send({ reason });
  const post = (token: string, path: string, body: Record<string, unknown> = {}) =>
    t.http
      .post(`/api/v1/disputes/tickets/${path}`)
      .set(...bearer(token))
      .send(body);

  it('allows reopening on the 10th working day after the performance deadline and refuses it on the 11th', async () => {
    const onTime = await settled();
    await setDeadline(onTime.settlementId, lastAllowedDeadline);
    const allowed = await reopen(onTime);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ state: 'in_mediation', outcome: null });
    const late = await settled();
    await setDeadline(late.settlementId, firstRefusedDeadline);
    const refused = await reopen(late);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('REOPEN_WINDOW_CLOSED');
    expect((await ticketOf(late.ticket.id)).state).toBe('settled');
  });

  it('reopens into mediation with a fresh clock, keeps the signed agreement, and allows it once only', async () => {
    const s = await settled();
    await reopen(s, '').expect(400);
    await reopen(s).expect(200);
    const ticket = await ticketOf(s.ticket.id);
    expect(ticket.reopenedAt).not.toBeNull();
    const clocks = await t.dataSource
      .getRepository(DisputeDeadline)
      .findBy({ ticketId: s.ticket.id, kind: 'mediation', status: 'open' });
    expect(clocks).toHaveLength(1);
    const kept = await t.dataSource
      .getRepository(Settlement)
      .findOneByOrFail({ id: s.settlementId });
    expect(kept.status).toBe('signed');
    // A new revision is drafted and signed; the ticket is settled again, but not reopenable.
    const second = String((await sendSettlement(t, s)).id);
    await signSettlementByBoth(t, s, second);
    expect((await ticketOf(s.ticket.id)).state).toBe('settled');
    const again = await reopen(s);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('REOPEN_USED');
  });

  it('reopens only a ticket that ended in a settlement', async () => {
    const s = await mediationWithSignatory(t);
    const inMediation = await reopen(s);
    expect(inMediation.body.code).toBe('REOPEN_NOT_AFTER_SETTLEMENT');
    const failed = await createTicket(t, {
      state: 'closed',
      outcome: 'failed',
      complainantUserId: s.complainant.id,
    });
    const refused = await post(s.complainant.token, `${failed.id}/reopen`, { reason: '未履行' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('REOPEN_NOT_AFTER_SETTLEMENT');
    const settledOne = await settled();
    await post(settledOne.firmAdmin.token, `${settledOne.ticket.id}/reopen`, {
      reason: 'x',
    }).expect(403);
  });

  it('lets the firm record performance once and the complainant confirm it, which closes the ticket and opens the survey', async () => {
    const s = await settled();
    const early = await post(s.complainant.token, `${s.ticket.id}/confirm-performance`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('NOT_PERFORMED');
    const member = await loginAs(t, 'firm_member', { firmId: s.firmId });
    await post(member.token, `${s.ticket.id}/performance`, { note: '已退款' }).expect(403);
    const recorded = await post(s.firmAdmin.token, `${s.ticket.id}/performance`, {
      note: '已于今日退还 1234.56 元。',
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body.performedAt).not.toBeNull();
    const twice = await post(s.firmAdmin.token, `${s.ticket.id}/performance`, { note: '再次' });
    expect(twice.body.code).toBe('ALREADY_PERFORMED');
    await post(s.firmAdmin.token, `${s.ticket.id}/confirm-performance`).expect(403);
    const confirmed = await post(s.complainant.token, `${s.ticket.id}/confirm-performance`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.state).toBe('closed');
    expect((await ticketOf(s.ticket.id)).closedAt).not.toBeNull();
    expect(await emailsTo(t, s.complainant.email, 'dispute-survey')).toHaveLength(1);
    // Closed after a settlement, it may still be reopened within the window.
    await reopen(s).expect(200);
  });

  it('closes settled tickets whose reopen window has passed, once a day, and leaves the others', async () => {
    const lapsing = await settled();
    await setDeadline(lapsing.settlementId, firstRefusedDeadline);
    const waiting = await settled();
    await setDeadline(waiting.settlementId, lastAllowedDeadline);
    const scheduler = t.app.get(SchedulerService);
    const run = await scheduler.runNow(SETTLEMENT_LAPSE_JOB, new Date());
    expect(run.ran).toBe(true);
    const lapsed = await ticketOf(lapsing.ticket.id);
    expect(lapsed.state).toBe('closed');
    expect(lapsed.closedAt).not.toBeNull();
    expect((await ticketOf(waiting.ticket.id)).state).toBe('settled');
    expect(await emailsTo(t, lapsing.complainant.email, 'dispute-survey')).toHaveLength(1);
    const again = await scheduler.runNow(SETTLEMENT_LAPSE_JOB, new Date());
    expect(again.ran).toBe(false);
    // Run by hand again (another day's run), a closed ticket is not touched twice.
    const manual = await t.app.get(PerformanceService).lapse(new Date());
    expect(manual.lapsed).toBe(0);
    expect(await emailsTo(t, lapsing.complainant.email, 'dispute-survey')).toHaveLength(1);
    const refused = await reopen(lapsing);
    expect(refused.body.code).toBe('REOPEN_WINDOW_CLOSED');
  });
});

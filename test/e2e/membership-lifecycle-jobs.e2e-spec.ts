import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainEvents } from '../../src/common/events/domain-events.js';
import { FirmStatusEvent } from '../../src/modules/membership/entities/firm-status-event.entity.js';
import { Firm, type FirmStatus } from '../../src/modules/membership/entities/firm.entity.js';
import { InvoiceReminder } from '../../src/modules/membership/entities/invoice-reminder.entity.js';
import { Invoice } from '../../src/modules/membership/entities/invoice.entity.js';
import { LifecycleService } from '../../src/modules/membership/lifecycle.service.js';
import { MEMBERSHIP_JOBS } from '../../src/modules/membership/membership-jobs.js';
import { SchedulerService } from '../../src/modules/scheduler/scheduler.service.js';
import {
  createDuesInvoice,
  createListedFirm,
  createMemberWithAdmin,
  statusEventsOf,
} from '../factories/lifecycle.js';
import { emailsTo } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** Noon in Beijing on a calendar date. */
const noon = (date: string): Date => new Date(`${date}T04:00:00Z`);

const statusOf = async (t: TestApp, id: string): Promise<FirmStatus> =>
  (await t.dataSource.getRepository(Firm).findOneByOrFail({ id })).status;

describe('lapse after the grace period', () => {
  let t: TestApp;
  let scheduler: SchedulerService;
  const lapsedEvents: Array<{ firmId: string; year: number }> = [];
  const firms: Record<string, Firm> = {};

  beforeAll(async () => {
    t = await startTestApp();
    scheduler = t.app.get(SchedulerService);
    t.app.get(DomainEvents).on('membership.lapsed', (payload) => {
      lapsedEvents.push(payload);
      return Promise.resolve();
    });
    // Renewal invoices for 2031, due 2030-12-31; with 60 days' grace the last day is 2031-03-01.
    const make = async (
      key: string,
      status: FirmStatus,
      invoice: { paidFen?: number; waived?: boolean; dueOn?: string } | null,
    ): Promise<void> => {
      firms[key] = await createListedFirm(t, { status });
      if (invoice)
        await createDuesInvoice(t, firms[key].id, {
          year: 2031,
          dueOn: invoice.dueOn ?? '2030-12-31',
          paidFen: invoice.paidFen,
          waived: invoice.waived,
        });
    };
    await make('unpaid', 'active', {});
    await make('partlyPaid', 'active', { paidFen: 1_000_000 });
    await make('suspendedUnpaid', 'suspended', {});
    await make('paid', 'active', { paidFen: 2_000_000 });
    await make('waived', 'active', { waived: true });
    await make('partlyPaidThenWaived', 'active', { paidFen: 500_000, waived: true });
    await make('stillInGrace', 'active', { dueOn: '2031-01-15' });
    await make('expelledUnpaid', 'expelled', {});
    await make('withdrawnUnpaid', 'withdrawn', {});
    await make('noInvoice', 'active', null);
  });
  afterAll(() => t.close());

  it('lapses nobody on the last day of grace', async () => {
    const run = await scheduler.runNow(MEMBERSHIP_JOBS.lapse, noon('2031-03-01'));
    expect(run).toMatchObject({ ran: true, outcome: { today: '2031-03-01', done: 0, failed: 0 } });
    for (const firm of Object.values(firms)) {
      expect(await statusOf(t, firm.id)).toBe(firm.status);
    }
  });

  it('lapses exactly the current members whose invoice is still open after grace (a part payment leaves it open)', async () => {
    const run = await scheduler.runNow(MEMBERSHIP_JOBS.lapse, noon('2031-03-02'));
    expect(run).toMatchObject({ ran: true, outcome: { done: 3, failed: 0 } });
    const lapsed = ['unpaid', 'partlyPaid', 'suspendedUnpaid'];
    for (const [key, firm] of Object.entries(firms)) {
      expect([key, await statusOf(t, firm.id)]).toEqual([
        key,
        lapsed.includes(key) ? 'lapsed' : firm.status,
      ]);
    }
    for (const key of lapsed) {
      const events = await statusEventsOf(t, firms[key].id);
      expect(events.filter((e) => e.status === 'lapsed')).toEqual([
        expect.objectContaining({ reasonCategory: 'dues_unpaid', actorId: null }),
      ]);
      expect(lapsedEvents).toContainEqual({ firmId: firms[key].id, year: 2031 });
    }
    const suspended = await t.dataSource
      .getRepository(Firm)
      .findOneByOrFail({ id: firms.suspendedUnpaid.id });
    expect(suspended.suspendedUntil).toBeNull();
  });

  it('does nothing more when run again: the same day is claimed, a later day finds nothing', async () => {
    const again = await scheduler.runNow(MEMBERSHIP_JOBS.lapse, noon('2031-03-02'));
    expect(again).toMatchObject({ ran: false, reason: 'ALREADY_RAN' });
    const nextDay = await scheduler.runNow(MEMBERSHIP_JOBS.lapse, noon('2031-03-03'));
    expect(nextDay).toMatchObject({ ran: true, outcome: { done: 0 } });
  });

  it('changes nothing when the job function itself runs twice (no scheduler claim in the way)', async () => {
    const lifecycle = t.app.get(LifecycleService);
    const events = t.dataSource.getRepository(FirmStatusEvent);
    const before = await events.count();
    expect(await lifecycle.lapseOverdue(noon('2031-03-02'))).toMatchObject({ done: 0 });
    expect(await lifecycle.lapseOverdue(noon('2031-03-02'))).toMatchObject({ done: 0 });
    expect(await events.count()).toBe(before);
    expect(lapsedEvents).toHaveLength(3);
  });

  it('lapses the late payer once its own grace period is over', async () => {
    await scheduler.runNow(MEMBERSHIP_JOBS.lapse, noon('2031-03-16'));
    expect(await statusOf(t, firms.stillInGrace.id)).toBe('active');
    const run = await scheduler.runNow(MEMBERSHIP_JOBS.lapse, noon('2031-03-17'));
    expect(run).toMatchObject({ ran: true, outcome: { done: 1 } });
    expect(await statusOf(t, firms.stillInGrace.id)).toBe('lapsed');
  });

  it('lets only one of several simultaneous runs act', async () => {
    const firm = await createListedFirm(t, { status: 'active' });
    await createDuesInvoice(t, firm.id, { year: 2032, dueOn: '2031-12-31' });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => scheduler.runNow(MEMBERSHIP_JOBS.lapse, noon('2032-03-02'))),
    );
    expect(results.filter((r) => r.ran)).toHaveLength(1);
    expect(results.find((r) => r.ran)).toMatchObject({ outcome: { done: 1 } });
    const events = await statusEventsOf(t, firm.id);
    expect(events.filter((e) => e.status === 'lapsed')).toHaveLength(1);
  });

  it('lets concurrent direct passes lapse a firm once (the versioned update settles it)', async () => {
    const firm = await createListedFirm(t, { status: 'active' });
    await createDuesInvoice(t, firm.id, { year: 2033, dueOn: '2032-12-31' });
    const lifecycle = t.app.get(LifecycleService);
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => lifecycle.lapseOverdue(noon('2033-03-02'))),
    );
    expect(outcomes.reduce((sum, o) => sum + o.done, 0)).toBe(1);
    expect(outcomes.every((o) => o.failed === 0)).toBe(true);
    const events = await statusEventsOf(t, firm.id);
    expect(events.filter((e) => e.status === 'lapsed')).toHaveLength(1);
  });
});

describe('a shorter grace period from DUES_GRACE_DAYS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DUES_GRACE_DAYS: '10' });
  });
  afterAll(() => t.close());

  it('lapses ten days after the due date', async () => {
    const firm = await createListedFirm(t, { status: 'active' });
    await createDuesInvoice(t, firm.id, { year: 2031, dueOn: '2030-12-31' });
    const scheduler = t.app.get(SchedulerService);
    await scheduler.runNow(MEMBERSHIP_JOBS.lapse, noon('2031-01-10'));
    expect(await statusOf(t, firm.id)).toBe('active');
    await scheduler.runNow(MEMBERSHIP_JOBS.lapse, noon('2031-01-11'));
    expect(await statusOf(t, firm.id)).toBe('lapsed');
  });
});

describe('renewal invoices from 1 November', () => {
  let t: TestApp;
  let scheduler: SchedulerService;

  beforeAll(async () => {
    t = await startTestApp();
    scheduler = t.app.get(SchedulerService);
  });
  afterAll(() => t.close());

  it("raises next year's invoice, the tier's full fee due 31 December, once, for active and suspended members", async () => {
    const active = await createMemberWithAdmin(t, { status: 'active', tier: 'member' });
    const suspended = await createListedFirm(t, { status: 'suspended', tier: 'council' });
    const lapsed = await createListedFirm(t, { status: 'lapsed', tier: 'member' });
    const applicant = await createListedFirm(t, {
      status: 'applicant',
      tier: null,
      memberSince: null,
    });
    const invoiced = await createListedFirm(t, { status: 'active', tier: 'member' });
    await createDuesInvoice(t, invoiced.id, { year: 2027, dueOn: '2026-12-31', kind: 'initial' });
    const invoices = t.dataSource.getRepository(Invoice);

    // 23:59 on 31 October in Beijing is still October.
    const october = await scheduler.runNow(
      MEMBERSHIP_JOBS.renewalInvoices,
      new Date('2026-10-31T15:59:00Z'),
    );
    expect(october).toMatchObject({ ran: true, outcome: { year: null, done: 0 } });
    expect(await invoices.countBy({ year: 2027, kind: 'renewal' })).toBe(0);

    // One minute later it is 1 November in Beijing.
    const run = await scheduler.runNow(
      MEMBERSHIP_JOBS.renewalInvoices,
      new Date('2026-10-31T16:00:00Z'),
    );
    expect(run).toMatchObject({ ran: true, outcome: { year: 2027, done: 2, failed: 0 } });
    const raised = await invoices.find({ where: { year: 2027, kind: 'renewal' } });
    expect(raised.map((i) => [i.firmId, i.tier, i.amountFen, i.dueOn, i.status]).sort()).toEqual(
      [
        [active.firm.id, 'member', 2_000_000, '2026-12-31', 'open'],
        [suspended.id, 'council', 5_000_000, '2026-12-31', 'open'],
      ].sort(),
    );
    expect(raised.every((i) => /^SZIFA-INV-2027-\d{6}$/.test(i.number))).toBe(true);
    for (const firm of [lapsed, applicant, invoiced])
      expect(await invoices.countBy({ firmId: firm.id, year: 2027, kind: 'renewal' })).toBe(0);
    const [mail] = await emailsTo(t, active.admin.email, 'renewal-invoice');
    expect(mail.textBody).toContain(raised.find((i) => i.firmId === active.firm.id)?.number);
    expect(mail.textBody).toContain('20,000.00');

    const nextDay = await scheduler.runNow(MEMBERSHIP_JOBS.renewalInvoices, noon('2026-11-02'));
    expect(nextDay).toMatchObject({ ran: true, outcome: { done: 0 } });
    expect(
      await t.app.get(LifecycleService).raiseRenewalInvoices(noon('2026-11-02')),
    ).toMatchObject({ done: 0 });
    expect(await invoices.countBy({ year: 2027, kind: 'renewal' })).toBe(2);
    expect(await emailsTo(t, active.admin.email, 'renewal-invoice')).toHaveLength(1);
  });

  it('invoices a member admitted later in the season the next day', async () => {
    const late = await createListedFirm(t, { status: 'active', tier: 'vice_president' });
    await scheduler.runNow(MEMBERSHIP_JOBS.renewalInvoices, noon('2026-12-20'));
    const invoice = await t.dataSource
      .getRepository(Invoice)
      .findOneByOrFail({ firmId: late.id, year: 2027 });
    expect(invoice).toMatchObject({ kind: 'renewal', amountFen: 10_000_000 });
  });

  it('raises one invoice per member however many passes run at once', async () => {
    const firm = await createListedFirm(t, { status: 'active', tier: 'member' });
    const lifecycle = t.app.get(LifecycleService);
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => lifecycle.raiseRenewalInvoices(noon('2026-12-21'))),
    );
    expect(outcomes.reduce((sum, o) => sum + o.done, 0)).toBe(1);
    expect(outcomes.every((o) => o.failed === 0)).toBe(true);
    expect(await t.dataSource.getRepository(Invoice).countBy({ firmId: firm.id })).toBe(1);
  });

  it('raises nothing outside November and December', async () => {
    await createListedFirm(t, { status: 'active', tier: 'member' });
    const run = await scheduler.runNow(MEMBERSHIP_JOBS.renewalInvoices, noon('2027-01-05'));
    expect(run).toMatchObject({ ran: true, outcome: { year: null, done: 0 } });
  });
});

describe('dues reminders', () => {
  let t: TestApp;
  let scheduler: SchedulerService;

  beforeAll(async () => {
    t = await startTestApp();
    scheduler = t.app.get(SchedulerService);
  });
  afterAll(() => t.close());

  it('sends each reminder once: 30, 7 and 0 days before the year ends and twice in grace', async () => {
    const { firm, admin } = await createMemberWithAdmin(t);
    const invoice = await createDuesInvoice(t, firm.id, { year: 2029, dueOn: '2028-12-31' });
    const paid = await createMemberWithAdmin(t);
    await createDuesInvoice(t, paid.firm.id, {
      year: 2029,
      dueOn: '2028-12-31',
      paidFen: 2_000_000,
    });
    const lifecycle = t.app.get(LifecycleService);
    const sentKinds = async (): Promise<string[]> =>
      (
        await t.dataSource
          .getRepository(InvoiceReminder)
          .find({ where: { invoiceId: invoice.id }, order: { sentAt: 'ASC' } })
      ).map((r) => r.kind);

    await scheduler.runNow(MEMBERSHIP_JOBS.duesReminders, noon('2028-11-30'));
    expect(await sentKinds()).toEqual([]);
    const first = await scheduler.runNow(MEMBERSHIP_JOBS.duesReminders, noon('2028-12-01'));
    expect(first).toMatchObject({ ran: true, outcome: { done: 1 } });
    // The same day again, by the scheduler and by calling the pass directly: nothing new.
    expect(await scheduler.runNow(MEMBERSHIP_JOBS.duesReminders, noon('2028-12-01'))).toMatchObject(
      { ran: false },
    );
    expect(await lifecycle.sendDuesReminders(noon('2028-12-01'))).toMatchObject({ done: 0 });
    // A later day inside the same window: before_30 went out already.
    expect(await lifecycle.sendDuesReminders(noon('2028-12-10'))).toMatchObject({ done: 0 });
    for (const day of ['2028-12-24', '2028-12-31', '2029-01-30', '2029-02-22']) {
      await scheduler.runNow(MEMBERSHIP_JOBS.duesReminders, noon(day));
      await lifecycle.sendDuesReminders(noon(day));
    }
    expect(await sentKinds()).toEqual(['before_30', 'before_7', 'day_0', 'grace_30', 'grace_last']);
    const mails = await emailsTo(t, admin.email, 'renewal-reminder');
    expect(mails).toHaveLength(5);
    expect(mails[0].textBody).toContain(invoice.number);
    expect(mails[0].textBody).toContain('2029-03-01');
    expect(await emailsTo(t, paid.admin.email, 'renewal-reminder')).toHaveLength(0);
    // After grace nothing more is sent; the lapse job takes over.
    expect(await lifecycle.sendDuesReminders(noon('2029-03-05'))).toMatchObject({ done: 0 });
  });

  it('sends one reminder however many passes run at once', async () => {
    const { firm, admin } = await createMemberWithAdmin(t);
    await createDuesInvoice(t, firm.id, { year: 2035, dueOn: '2034-12-31' });
    const lifecycle = t.app.get(LifecycleService);
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => lifecycle.sendDuesReminders(noon('2034-12-24'))),
    );
    expect(outcomes.reduce((sum, o) => sum + o.done, 0)).toBe(1);
    expect(await emailsTo(t, admin.email, 'renewal-reminder')).toHaveLength(1);
  });

  it('does not remind a firm that is no longer a member', async () => {
    const { firm, admin } = await createMemberWithAdmin(t, { status: 'withdrawn' });
    await createDuesInvoice(t, firm.id, { year: 2036, dueOn: '2035-12-31' });
    await t.app.get(LifecycleService).sendDuesReminders(noon('2035-12-31'));
    expect(await emailsTo(t, admin.email, 'renewal-reminder')).toHaveLength(0);
  });
});

describe('suspensions that run out', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reinstates the day after the last day of the suspension, and leaves open-ended ones alone', async () => {
    const { firm, admin } = await createMemberWithAdmin(t, {
      status: 'suspended',
      suspendedUntil: '2030-06-30',
    });
    const openEnded = await createListedFirm(t, { status: 'suspended', suspendedUntil: null });
    const scheduler = t.app.get(SchedulerService);
    await scheduler.runNow(MEMBERSHIP_JOBS.suspensionsEnded, noon('2030-06-30'));
    expect(await statusOf(t, firm.id)).toBe('suspended');
    // 00:30 on 1 July in Beijing is still 30 June in UTC.
    const run = await scheduler.runNow(
      MEMBERSHIP_JOBS.suspensionsEnded,
      new Date('2030-06-30T16:30:00Z'),
    );
    expect(run).toMatchObject({ ran: true, outcome: { done: 1 } });
    const stored = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id });
    expect(stored).toMatchObject({ status: 'active', suspendedUntil: null });
    expect((await statusEventsOf(t, firm.id)).at(-1)).toMatchObject({
      status: 'active',
      reasonCategory: 'suspension_ended',
      actorId: null,
    });
    expect(await emailsTo(t, admin.email, 'sanction-reinstated')).toHaveLength(1);
    expect(await statusOf(t, openEnded.id)).toBe('suspended');
    expect(await t.app.get(LifecycleService).endSuspensions(noon('2030-07-02'))).toMatchObject({
      done: 0,
    });
  });
});

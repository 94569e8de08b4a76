import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, In, LessThan, type EntityManager, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { maySeeFirm } from '../../common/auth/roles.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { JsonLogger } from '../../common/logging/json-logger.js';
import { addDays, beijingDate, isCalendarDate } from '../../common/time/beijing.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { formatFen } from './dues.js';
import { balanceFen, DuesService } from './dues.service.js';
import { FirmStatusEvent } from './entities/firm-status-event.entity.js';
import { Firm, type FirmStatus } from './entities/firm.entity.js';
import { Invoice } from './entities/invoice.entity.js';
import { MembershipError } from './membership.errors.js';
import {
  ACTION_EVENT,
  checkMembershipTransition,
  isSanctionReasonCategory,
  reasonCategoryFor,
  type ActionRequirements,
  type MembershipAction,
  type MembershipActorKind,
  type SanctionReasonCategory,
} from './membership.state.js';
import {
  isPastGrace,
  lastDayOfGrace,
  reminderDueOn,
  renewalDueOn,
  renewalYearOn,
  type ReminderKind,
} from './renewal-calendar.js';

type AuditActor = Pick<Actor, 'id' | 'role'>;

/** Statuses of a firm that is a member now: it owes dues and can be sanctioned. */
export const CURRENT_MEMBER_STATUSES: readonly FirmStatus[] = ['active', 'suspended'];

/** What a person asks for (API body or page form); the service checks every field. */
export interface StatusTransitionInput {
  action: MembershipAction;
  /** The firm's version the caller saw: a stale one answers 409. */
  version: number;
  reason?: string | null;
  reasonCategory?: string | null;
  /** Last day of a suspension, YYYY-MM-DD (Beijing); none means until staff lift it. */
  until?: string | null;
  decisionRef?: string | null;
  confirm?: boolean;
}

interface TransitionDetails {
  reason: string | null;
  reasonCategory: SanctionReasonCategory | null;
  until: string | null;
  decisionRef: string | null;
  /** The membership year whose dues went unpaid (lapse only). */
  year: number | null;
}

/** One entry of a firm's membership record, as staff and the firm itself read it. */
export interface StatusEventView {
  id: string;
  status: string;
  reasonCategory: string | null;
  reason: string | null;
  decisionRef: string | null;
  until: string | null;
  effectiveAt: string;
}

export interface StatusChangeView {
  firmId: string;
  status: FirmStatus;
  version: number;
  event: StatusEventView;
}

export function toStatusEventView(event: FirmStatusEvent): StatusEventView {
  return {
    id: event.id,
    status: event.status,
    reasonCategory: event.reasonCategory,
    reason: event.reason,
    decisionRef: event.decisionRef,
    until: event.until,
    effectiveAt: event.effectiveAt.toISOString(),
  };
}

/** What one scheduled pass did, for job_runs.outcome and the log. */
export interface JobOutcome extends Record<string, unknown> {
  today: string;
  done: number;
  failed: number;
}

const EMAIL_TEMPLATE: Record<MembershipAction, string> = {
  suspend: 'sanction-suspended',
  reinstate: 'sanction-reinstated',
  lapse: 'renewal-lapsed',
  expel: 'sanction-expelled',
  withdraw: 'sanction-withdrawn',
};

const TEXT_MAX = 2000;

function clean(value: string | null | undefined, max = TEXT_MAX): string | null {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed.slice(0, max);
}

/**
 * A membership after admission: sanctions (suspend, expel) and their lifting, the firm's own
 * withdrawal, and the dues calendar (renewal invoices, reminders, lapse, the end of a
 * suspension) that the scheduled jobs in membership-jobs.ts drive.
 *
 * Every status change goes through `apply()`: the transition table, a versioned update of the
 * firm, a public FirmStatusEvent, the audit event, the domain event (other modules react in
 * this same transaction, so a failing reaction undoes the change) and the firm admins' e-mail
 * and in-app notice, all in one transaction.
 *
 * The scheduled passes are idempotent on their own, beside the scheduler's one-run-per-day
 * claim: each item is re-read and re-checked inside its own transaction, a status change is a
 * versioned update (a second instance gets CONFLICT and skips), an invoice exists once per firm
 * and year, and a reminder once per (invoice, kind) by primary key.
 */
@Injectable()
export class LifecycleService {
  constructor(
    @InjectRepository(Firm) private readonly firms: Repository<Firm>,
    @InjectRepository(FirmStatusEvent) private readonly events: Repository<FirmStatusEvent>,
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
    private readonly domainEvents: DomainEvents,
    private readonly dues: DuesService,
    private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {}

  // ---- People acting ------------------------------------------------------------------------

  /**
   * A status change asked for by a person: staff sanction or reinstate, a firm admin withdraws
   * its own firm. A firm user naming another firm gets "not found".
   */
  async transition(
    actor: Actor,
    firmId: string,
    input: StatusTransitionInput,
    meta: Partial<RequestMeta> = {},
    now = new Date(),
  ): Promise<StatusChangeView> {
    return this.tx.run(async (manager) => {
      const firm = await manager.findOneBy(Firm, { id: firmId });
      if (!firm || !maySeeFirm(actor, firm.id)) throw new MembershipError('FIRM_NOT_FOUND');
      const check = checkMembershipTransition(firm.status, input.action, actor.role);
      if (!check.ok && check.reason === 'ROLE_NOT_ALLOWED')
        throw new MembershipError('STATUS_ACTION_NOT_ALLOWED');
      if (firm.version !== input.version) throw new CommonError('CONFLICT');
      if (!check.ok) throw new MembershipError('STATUS_TRANSITION_NOT_ALLOWED');
      const details = this.details(check.requires, input, beijingDate(now));
      if (input.action === 'reinstate' && firm.status === 'lapsed')
        await this.assertNoOverdueDues(manager, firm.id, beijingDate(now));
      const event = await this.apply(
        manager,
        firm,
        input.action,
        actor.role,
        actor,
        details,
        now,
        meta,
      );
      return {
        firmId: firm.id,
        status: check.to,
        version: firm.version + 1,
        event: toStatusEventView(event),
      };
    });
  }

  /** A firm's membership record with staff's written reasons: for staff and the firm's users. */
  async history(actor: Actor, firmId: string): Promise<StatusEventView[]> {
    const firm = await this.firms.findOneBy({ id: firmId });
    if (!firm || !maySeeFirm(actor, firm.id)) throw new MembershipError('FIRM_NOT_FOUND');
    return (await this.eventsOf(firmId)).map(toStatusEventView);
  }

  /** A firm's status events, oldest first (id breaks ties between events of one instant). */
  eventsOf(firmId: string): Promise<FirmStatusEvent[]> {
    return this.events.find({ where: { firmId }, order: { effectiveAt: 'ASC', id: 'ASC' } });
  }

  // ---- Scheduled passes ----------------------------------------------------------------------

  /**
   * From 1 November (Beijing): next year's renewal invoice, the full annual fee of the firm's
   * tier due 31 December, for every active or suspended member that has no invoice for that
   * year yet. Outside November and December it does nothing.
   */
  async raiseRenewalInvoices(now: Date): Promise<JobOutcome & { year: number | null }> {
    const today = beijingDate(now);
    const year = renewalYearOn(today);
    if (year === null) return { today, year, done: 0, failed: 0 };
    const members = await this.firms.find({
      where: { status: In([...CURRENT_MEMBER_STATUSES]) },
      select: { id: true },
      order: { id: 'ASC' },
    });
    const invoiced = new Set(
      (await this.invoices.find({ where: { year }, select: { firmId: true } })).map(
        (invoice) => invoice.firmId,
      ),
    );
    let done = 0;
    let failed = 0;
    for (const { id } of members.filter((firm) => !invoiced.has(firm.id))) {
      try {
        if (await this.tx.run((manager) => this.raiseRenewal(manager, id, year, now))) done++;
      } catch (error) {
        failed++;
        this.logger.event('error', 'membership.renewal_failed', {
          firmId: id,
          year,
          error: String(error),
        });
      }
    }
    return { today, year, done, failed };
  }

  /**
   * Reminds each firm with an unpaid renewal invoice 30, 7 and 0 days before it falls due and
   * twice during the grace period (renewal-calendar.ts). Each reminder goes out once.
   */
  async sendDuesReminders(now: Date): Promise<JobOutcome> {
    const today = beijingDate(now);
    const grace = this.config.DUES_GRACE_DAYS;
    // Only invoices whose reminder window contains today: due from `today - grace` to `today + 30`.
    const candidates = await this.invoices.find({
      where: {
        status: 'open',
        kind: 'renewal',
        dueOn: Between(addDays(today, -grace), addDays(today, 30)),
      },
      order: { dueOn: 'ASC', id: 'ASC' },
    });
    let done = 0;
    let failed = 0;
    for (const invoice of candidates) {
      const kind = reminderDueOn(invoice.dueOn, grace, today);
      if (kind === null) continue;
      try {
        if (await this.tx.run((manager) => this.remind(manager, invoice.id, kind, today, now)))
          done++;
      } catch (error) {
        failed++;
        this.logger.event('error', 'membership.reminder_failed', {
          invoiceId: invoice.id,
          kind,
          error: String(error),
        });
      }
    }
    return { today, done, failed };
  }

  /**
   * Lapses every current membership with an invoice still open (a part payment leaves it
   * open) after its grace period. Paid and waived invoices never lapse anyone.
   */
  async lapseOverdue(now: Date): Promise<JobOutcome> {
    const today = beijingDate(now);
    const overdue = await this.overdueInvoices(this.invoices.manager, null, today);
    const firmIds = [...new Set(overdue.map((invoice) => invoice.firmId))];
    let done = 0;
    let failed = 0;
    for (const firmId of firmIds) {
      try {
        if (await this.tx.run((manager) => this.lapse(manager, firmId, today, now))) done++;
      } catch (error) {
        failed++;
        this.logger.event('error', 'membership.lapse_failed', { firmId, error: String(error) });
      }
    }
    return { today, done, failed };
  }

  /** Reinstates suspended members whose suspension's last day is behind them. */
  async endSuspensions(now: Date): Promise<JobOutcome> {
    const today = beijingDate(now);
    const ended = await this.firms.find({
      where: { status: 'suspended', suspendedUntil: LessThan(today) },
      select: { id: true },
      order: { id: 'ASC' },
    });
    let done = 0;
    let failed = 0;
    for (const { id } of ended) {
      try {
        if (await this.tx.run((manager) => this.endSuspension(manager, id, today, now))) done++;
      } catch (error) {
        failed++;
        this.logger.event('error', 'membership.reinstate_failed', {
          firmId: id,
          error: String(error),
        });
      }
    }
    return { today, done, failed };
  }

  // ---- One item of a pass, in its own transaction --------------------------------------------

  private async raiseRenewal(
    manager: EntityManager,
    firmId: string,
    year: number,
    now: Date,
  ): Promise<boolean> {
    // Two passes at once (PostgreSQL) queue on the firm's row, so the second sees the first's
    // invoice instead of failing on the unique index. SQLite runs one transaction at a time.
    const firm = await manager.findOne(Firm, {
      where: { id: firmId },
      ...this.tx.rowLock,
    });
    if (!firm || !CURRENT_MEMBER_STATUSES.includes(firm.status)) return false;
    if (await manager.existsBy(Invoice, { firmId, year })) return false;
    if (!firm.tier) {
      this.logger.event('warn', 'membership.renewal_no_tier', { firmId, year });
      return false;
    }
    const tier = await this.dues.tier(firm.tier, manager);
    const invoice = await this.dues.raiseInvoice(manager, {
      firmId,
      year,
      kind: 'renewal',
      tier: firm.tier,
      amountFen: tier.annualFeeFen,
      dueOn: renewalDueOn(year),
      actor: null,
      issuedAt: now,
    });
    if (invoice.status === 'open') {
      await this.tellAdmins(manager, firm, 'renewal-invoice', 'membership.renewal_invoice', () => ({
        ...this.invoiceContext(invoice),
        lastDayOfGrace: lastDayOfGrace(invoice.dueOn, this.config.DUES_GRACE_DAYS),
      }));
    }
    return true;
  }

  private async remind(
    manager: EntityManager,
    invoiceId: string,
    kind: ReminderKind,
    today: string,
    now: Date,
  ): Promise<boolean> {
    const invoice = await manager.findOneBy(Invoice, { id: invoiceId });
    if (!invoice || invoice.status !== 'open') return false;
    const firm = await manager.findOneBy(Firm, { id: invoice.firmId });
    if (!firm || !CURRENT_MEMBER_STATUSES.includes(firm.status)) return false;
    // The primary key (invoiceId, kind) lets exactly one writer in, whatever else is running.
    if (!(await this.claimReminder(manager, invoice.id, kind, now))) return false;
    const lastDay = lastDayOfGrace(invoice.dueOn, this.config.DUES_GRACE_DAYS);
    await this.tellAdmins(manager, firm, 'renewal-reminder', 'membership.dues_reminder', () => ({
      ...this.invoiceContext(invoice),
      kind,
      beforeDue: today < invoice.dueOn,
      dueToday: today === invoice.dueOn,
      inGrace: today > invoice.dueOn,
      lastDayOfGrace: lastDay,
    }));
    return true;
  }

  private async lapse(
    manager: EntityManager,
    firmId: string,
    today: string,
    now: Date,
  ): Promise<boolean> {
    const firm = await manager.findOneBy(Firm, { id: firmId });
    if (!firm || !CURRENT_MEMBER_STATUSES.includes(firm.status)) return false;
    const overdue = await this.overdueInvoices(manager, firmId, today);
    if (overdue.length === 0) return false;
    const latest = overdue[overdue.length - 1];
    const details: TransitionDetails = {
      reason: `Invoice ${latest.number} unpaid (balance ${formatFen(balanceFen(latest))} CNY) after the grace period`,
      reasonCategory: null,
      until: null,
      decisionRef: null,
      year: latest.year,
    };
    return this.applySystem(manager, firm, 'lapse', details, now);
  }

  private async endSuspension(
    manager: EntityManager,
    firmId: string,
    today: string,
    now: Date,
  ): Promise<boolean> {
    const firm = await manager.findOneBy(Firm, { id: firmId });
    if (!firm || firm.status !== 'suspended' || !firm.suspendedUntil) return false;
    if (firm.suspendedUntil >= today) return false;
    const details: TransitionDetails = {
      reason: `Suspension ended on ${firm.suspendedUntil}`,
      reasonCategory: null,
      until: null,
      decisionRef: null,
      year: null,
    };
    return this.applySystem(manager, firm, 'reinstate', details, now);
  }

  // ---- The transition itself -----------------------------------------------------------------

  /** A change the scheduler makes; false when the firm was changed first by someone else. */
  private async applySystem(
    manager: EntityManager,
    firm: Firm,
    action: MembershipAction,
    details: TransitionDetails,
    now: Date,
  ): Promise<boolean> {
    if (!checkMembershipTransition(firm.status, action, 'system').ok) return false;
    try {
      await this.apply(manager, firm, action, 'system', null, details, now, {});
      return true;
    } catch (error) {
      // Another instance (or a person) changed the firm first: nothing left to do here. The
      // versioned update is the first write, so nothing of this attempt remains.
      if (error instanceof CommonError && error.code === 'CONFLICT') return false;
      throw error;
    }
  }

  private async apply(
    manager: EntityManager,
    firm: Firm,
    action: MembershipAction,
    kind: MembershipActorKind,
    actor: AuditActor | null,
    details: TransitionDetails,
    now: Date,
    meta: Partial<RequestMeta>,
  ): Promise<FirmStatusEvent> {
    const check = checkMembershipTransition(firm.status, action, kind);
    if (!check.ok) throw new MembershipError('STATUS_TRANSITION_NOT_ALLOWED');
    const to = check.to;
    await updateVersioned(manager, Firm, firm.id, firm.version, {
      status: to,
      suspendedUntil: to === 'suspended' ? details.until : null,
      updatedAt: now,
    });
    const event = manager.create(FirmStatusEvent, {
      id: randomUUID(),
      firmId: firm.id,
      status: to,
      reasonCategory: reasonCategoryFor(action, kind, details.reasonCategory),
      reason: details.reason,
      decisionRef: details.decisionRef,
      until: to === 'suspended' ? details.until : null,
      effectiveAt: now,
      actorId: actor?.id ?? null,
    });
    await manager.insert(FirmStatusEvent, event);
    await this.audit.record(manager, {
      actor,
      action: ACTION_EVENT[action],
      subjectType: 'firm',
      subjectId: firm.id,
      summary: {
        status: { from: firm.status, to },
        reasonCategory: event.reasonCategory,
        reason: event.reason,
        until: event.until,
        decisionRef: event.decisionRef,
        statusEventId: event.id,
      },
      meta,
    });
    await this.announce(manager, action, firm.id, details);
    await this.tellAdmins(
      manager,
      firm,
      EMAIL_TEMPLATE[action],
      ACTION_EVENT[action],
      (locale) => ({
        reasonCategory: event.reasonCategory
          ? translate(locale, `sanction.reason.${event.reasonCategory}`)
          : null,
        reason: action === 'lapse' ? null : event.reason,
        until: event.until,
        decisionRef: event.decisionRef,
        effectiveOn: beijingDate(now),
      }),
    );
    return event;
  }

  /** The domain event, typed per action; handlers run in this transaction. */
  private async announce(
    manager: EntityManager,
    action: MembershipAction,
    firmId: string,
    details: TransitionDetails,
  ): Promise<void> {
    switch (action) {
      case 'suspend':
        return this.domainEvents.emit(manager, 'membership.suspended', {
          firmId,
          until: details.until,
        });
      case 'reinstate':
        return this.domainEvents.emit(manager, 'membership.reinstated', { firmId });
      case 'lapse':
        return this.domainEvents.emit(manager, 'membership.lapsed', {
          firmId,
          year: details.year ?? 0,
        });
      case 'expel':
        return this.domainEvents.emit(manager, 'membership.expelled', {
          firmId,
          decisionRef: details.decisionRef,
        });
      case 'withdraw':
        return this.domainEvents.emit(manager, 'membership.withdrawn', { firmId });
    }
  }

  /** Checks what a person supplied against what the action needs, and cleans it. */
  private details(
    requires: ActionRequirements,
    input: StatusTransitionInput,
    today: string,
  ): TransitionDetails {
    const reason = clean(input.reason);
    const decisionRef = clean(input.decisionRef, 100);
    const until = clean(input.until, 10);
    const category = clean(input.reasonCategory, 32);
    if (requires.reason && !reason) throw new MembershipError('STATUS_REASON_REQUIRED');
    if (requires.chosenCategory && !isSanctionReasonCategory(category))
      throw new MembershipError('STATUS_REASON_CATEGORY_INVALID');
    if (!requires.chosenCategory && category) throw new MembershipError('STATUS_FIELD_NOT_ALLOWED');
    if (requires.decisionRef && !decisionRef)
      throw new MembershipError('STATUS_DECISION_REF_REQUIRED');
    if (!requires.decisionRef && decisionRef) throw new MembershipError('STATUS_FIELD_NOT_ALLOWED');
    if (until !== null) {
      if (!requires.until) throw new MembershipError('STATUS_FIELD_NOT_ALLOWED');
      if (!isCalendarDate(until) || until < today)
        throw new MembershipError('STATUS_UNTIL_INVALID');
    }
    if (requires.confirmation && input.confirm !== true)
      throw new MembershipError('WITHDRAWAL_NOT_CONFIRMED');
    return {
      reason,
      reasonCategory: isSanctionReasonCategory(category) ? category : null,
      until,
      decisionRef,
      year: null,
    };
  }

  /** A lapsed firm comes back only once nothing would lapse it again tonight. */
  private async assertNoOverdueDues(
    manager: EntityManager,
    firmId: string,
    today: string,
  ): Promise<void> {
    if ((await this.overdueInvoices(manager, firmId, today)).length > 0)
      throw new MembershipError('DUES_OUTSTANDING');
  }

  /** Open invoices past their grace period (of one firm, or of current members), oldest due first. */
  private async overdueInvoices(
    manager: EntityManager,
    firmId: string | null,
    today: string,
  ): Promise<Invoice[]> {
    const grace = this.config.DUES_GRACE_DAYS;
    // dueOn + grace < today  ⇔  dueOn < today - grace; dates compare as text.
    const open = await manager.find(Invoice, {
      where: {
        status: 'open',
        dueOn: LessThan(addDays(today, -grace)),
        ...(firmId ? { firmId } : {}),
      },
      order: { dueOn: 'ASC', id: 'ASC' },
    });
    const overdue = open.filter((invoice) => isPastGrace(invoice.dueOn, grace, today));
    if (firmId || overdue.length === 0) return overdue;
    const members = await manager.find(Firm, {
      where: {
        id: In([...new Set(overdue.map((invoice) => invoice.firmId))]),
        status: In([...CURRENT_MEMBER_STATUSES]),
      },
      select: { id: true },
    });
    const ids = new Set(members.map((firm) => firm.id));
    return overdue.filter((invoice) => ids.has(invoice.firmId));
  }

  private async claimReminder(
    manager: EntityManager,
    invoiceId: string,
    kind: ReminderKind,
    now: Date,
  ): Promise<boolean> {
    const pg = this.tx.isPostgres;
    const rows: unknown = await manager.query(
      pg
        ? 'INSERT INTO invoice_reminders ("invoiceId", kind, "sentAt") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING kind'
        : 'INSERT INTO invoice_reminders ("invoiceId", kind, "sentAt") VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING kind',
      [invoiceId, kind, pg ? now : now.toISOString().replace('T', ' ').replace('Z', '')],
    );
    return Array.isArray(rows) && rows.length > 0;
  }

  // ---- Telling the firm ----------------------------------------------------------------------

  private invoiceContext(invoice: Invoice): Record<string, unknown> {
    return {
      invoiceNumber: invoice.number,
      year: invoice.year,
      amount: formatFen(invoice.amountFen),
      balance: formatFen(balanceFen(invoice)),
      dueOn: invoice.dueOn,
    };
  }

  /** E-mail and in-app notice to each of the firm's enabled administrators. */
  private async tellAdmins(
    manager: EntityManager,
    firm: Firm,
    template: string,
    kind: string,
    context: (locale: Locale) => Record<string, unknown>,
  ): Promise<void> {
    const admins = await this.users.firmAdmins(manager, firm.id);
    const title = (locale: Locale): string =>
      translate(locale, `status.notice.${template}`, { firm: firm.name });
    for (const admin of admins) {
      await this.notifications.queueEmail(manager, {
        to: admin.email,
        template,
        locale: admin.locale,
        context: {
          name: admin.name,
          firmName: firm.name,
          firmId: firm.id,
          ...context(admin.locale),
        },
      });
      await this.notifications.notify(manager, {
        userId: admin.id,
        kind,
        titleZh: title('zh-CN'),
        titleEn: title('en'),
        link: `/directory/${firm.id}`,
      });
    }
  }
}

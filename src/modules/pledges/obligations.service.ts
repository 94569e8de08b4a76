import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  Between,
  In,
  LessThan,
  LessThanOrEqual,
  MoreThan,
  type EntityManager,
  type Repository,
} from 'typeorm';
import { DomainEvents } from '../../common/events/domain-events.js';
import { JsonLogger } from '../../common/logging/json-logger.js';
import { addDays, beijingDate, daysBetween } from '../../common/time/beijing.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { ConventionVersion } from './entities/convention-version.entity.js';
import { PledgeObligation, type ObligationState } from './entities/pledge-obligation.entity.js';
import { PledgeReminder } from './entities/pledge-reminder.entity.js';
import { assertObligationTransition } from './obligation.state.js';

/** A firm's standing towards the convention, as pages and the API show it. */
export type PledgeStatus = 'signed' | 'needs_signing' | 'overdue' | 'none';

/** What the public list shows for an obligation: a signed one of an older version is superseded. */
export type PublicObligationStatus = ObligationState | 'superseded';

export interface ObligationCounts {
  signed: number;
  /** Pending and overdue together: the members who still have to sign. */
  outstanding: number;
  overdue: number;
  ended: number;
}

export interface ObligationListItem {
  obligationId: string;
  firmId: string;
  firmName: string;
  firmNameEn: string | null;
  state: ObligationState;
  status: PublicObligationStatus;
  deadlineOn: string;
  signedAt: Date | null;
  signatureId: string | null;
}

export interface ObligationPage {
  items: ObligationListItem[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export const OBLIGATION_PAGE_MAX = 200;
export const OBLIGATION_PAGE_DEFAULT = 50;

/** The deadline job's name (tests call scheduler.runNow with it). */
export const PLEDGE_DEADLINE_JOB = 'pledges.deadline';

/** Reminders before the deadline, by days left; each is sent once per obligation. */
const REMINDERS: Array<{ kind: string; daysLeft: number }> = [
  { kind: 'before_7', daysLeft: 7 },
  { kind: 'before_1', daysLeft: 1 },
];

/**
 * Each current member's obligation to sign each published convention version: opened at
 * publication (or admission), signed when the signatures service records a signature, flagged
 * overdue by the daily deadline job, ended when the membership ends.
 */
@Injectable()
export class ObligationsService implements OnModuleInit {
  constructor(
    @InjectRepository(PledgeObligation) private readonly obligations: Repository<PledgeObligation>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly firms: FirmsService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.events.on('membership.activated', ({ firmId }, manager) =>
      this.openForNewMember(manager, firmId),
    );
    this.events.on('membership.expelled', ({ firmId }, manager) =>
      this.endForFirm(manager, firmId, 'expelled'),
    );
    this.events.on('membership.withdrawn', ({ firmId }, manager) =>
      this.endForFirm(manager, firmId, 'withdrawn'),
    );
  }

  deadlineFor(effectiveOn: string, today: string): string {
    return addDays(effectiveOn > today ? effectiveOn : today, this.config.PLEDGE_RESIGN_DAYS);
  }

  /**
   * Called inside the publishing transaction: every current member owes a signature of the
   * new version. Once it is in force, older versions' open obligations end (superseded); signed
   * ones stay signed and show as superseded because a newer version exists. Returns how many obligations it opened.
   */
  async openForPublishedVersion(
    manager: EntityManager,
    version: ConventionVersion,
    now: Date,
  ): Promise<number> {
    await this.endSuperseded(manager, now);
    const deadlineOn = this.deadlineFor(version.effectiveOn!, beijingDate(now));
    const firmIds = await this.firms.currentMemberIds(manager);
    const existing = new Set(
      (
        await manager.find(PledgeObligation, {
          where: { conventionVersionId: version.id },
          select: { firmId: true },
        })
      ).map((row) => row.firmId),
    );
    let opened = 0;
    for (const firmId of firmIds) {
      if (existing.has(firmId)) continue;
      await manager.insert(
        PledgeObligation,
        this.newObligation(firmId, version.id, deadlineOn, now),
      );
      opened++;
    }
    return opened;
  }

  /**
   * A firm admitted (or re-admitted) after publication owes a signature of the version in
   * force and of any newer one already published. One it signed while applying stays signed.
   */
  async openForNewMember(manager: EntityManager, firmId: string): Promise<void> {
    const now = new Date();
    const today = beijingDate(now);
    const published = await manager.find(ConventionVersion, {
      where: { state: 'published' },
      order: { versionNumber: 'DESC' },
    });
    const inForce = published.find((v) => v.effectiveOn !== null && v.effectiveOn <= today);
    const owed = published.filter(
      (v) => inForce === undefined || v.versionNumber >= inForce.versionNumber,
    );
    for (const version of owed) {
      const current = await manager.findOneBy(PledgeObligation, {
        firmId,
        conventionVersionId: version.id,
      });
      if (!current) {
        const deadlineOn = this.deadlineFor(version.effectiveOn!, today);
        await manager.insert(
          PledgeObligation,
          this.newObligation(firmId, version.id, deadlineOn, now),
        );
      } else if (current.state === 'ended') {
        const to = current.signedAt ? 'signed' : 'pending';
        assertObligationTransition('ended', 'reopen', to);
        await updateVersioned(manager, PledgeObligation, current.id, current.version, {
          state: to,
          deadlineOn: current.signedAt
            ? current.deadlineOn
            : this.deadlineFor(version.effectiveOn!, today),
          endedAt: null,
          endedReason: null,
        });
        await this.audit.record(manager, {
          actor: null,
          action: 'pledges.obligation_reopened',
          subjectType: 'firm',
          subjectId: firmId,
          summary: {
            obligationId: current.id,
            conventionVersionId: version.id,
            state: { from: 'ended', to },
          },
        });
      }
    }
  }

  /** Membership ended: nothing more is owed. Signed obligations keep their signature. */
  async endForFirm(manager: EntityManager, firmId: string, reason: string): Promise<void> {
    const now = new Date();
    const live = await manager.find(PledgeObligation, {
      where: { firmId, state: In(['pending', 'overdue', 'signed']) },
    });
    for (const obligation of live) await this.end(manager, obligation, reason, now);
  }

  /**
   * Records that the firm signed the version (called by the signatures service in the same
   * transaction as the signature). An applicant signing before admission has no obligation
   * yet: it gets one, already signed.
   */
  async recordSigned(
    manager: EntityManager,
    input: { firmId: string; conventionVersionId: string; signatureId: string; at: Date },
  ): Promise<PledgeObligation> {
    const current = await manager.findOneBy(PledgeObligation, {
      firmId: input.firmId,
      conventionVersionId: input.conventionVersionId,
    });
    if (!current) {
      const version = await manager.findOneByOrFail(ConventionVersion, {
        id: input.conventionVersionId,
      });
      const obligation = this.newObligation(
        input.firmId,
        input.conventionVersionId,
        this.deadlineFor(version.effectiveOn ?? beijingDate(input.at), beijingDate(input.at)),
        input.at,
      );
      obligation.state = 'signed';
      obligation.signedAt = input.at;
      obligation.signatureId = input.signatureId;
      await manager.insert(PledgeObligation, obligation);
    } else {
      // A signature recorded after the membership ended is kept, but owes nothing any more.
      const to = current.state === 'ended' ? 'ended' : 'signed';
      if (current.state === 'pending' || current.state === 'overdue')
        assertObligationTransition(current.state, 'sign', to);
      await updateVersioned(manager, PledgeObligation, current.id, current.version, {
        state: to,
        signedAt: input.at,
        signatureId: input.signatureId,
      });
    }
    return manager.findOneByOrFail(PledgeObligation, {
      firmId: input.firmId,
      conventionVersionId: input.conventionVersionId,
    });
  }

  obligationFor(firmId: string, conventionVersionId: string): Promise<PledgeObligation | null> {
    return this.obligations.findOneBy({ firmId, conventionVersionId });
  }

  /** The obligations of many firms to sign one version, keyed by firm id. */
  async obligationsFor(
    firmIds: readonly string[],
    conventionVersionId: string,
  ): Promise<Map<string, PledgeObligation>> {
    const unique = [...new Set(firmIds)];
    if (unique.length === 0) return new Map();
    const rows = await this.obligations.findBy({ firmId: In(unique), conventionVersionId });
    return new Map(rows.map((row) => [row.firmId, row]));
  }

  /** Every obligation of a firm, newest version first (firm portal, staff view). */
  async listForFirm(firmId: string): Promise<Array<PledgeObligation & { versionNumber: number }>> {
    const rows = await this.obligations.find({ where: { firmId } });
    const versions = await this.versionNumbers(rows.map((row) => row.conventionVersionId));
    return rows
      .map((row) =>
        Object.assign(row, { versionNumber: versions.get(row.conventionVersionId) ?? 0 }),
      )
      .sort((a, b) => b.versionNumber - a.versionNumber);
  }

  /**
   * The firm's standing: its obligation for the newest published version it owes (a version
   * announced for a later date already needs signing), or 'none' when it owes nothing.
   */
  async statusFor(firmId: string): Promise<PledgeStatus> {
    const live = (await this.listForFirm(firmId)).filter((row) => row.state !== 'ended');
    const newest = live[0];
    if (!newest) return 'none';
    switch (newest.state) {
      case 'signed':
        return 'signed';
      case 'overdue':
        return 'overdue';
      default:
        return 'needs_signing';
    }
  }

  async countsFor(conventionVersionId: string): Promise<ObligationCounts> {
    const rows: Array<{ state: ObligationState; n: string | number }> = await this.obligations
      .createQueryBuilder('o')
      .select('o.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .where('o.conventionVersionId = :id', { id: conventionVersionId })
      .groupBy('o.state')
      .getRawMany();
    const count = (state: ObligationState): number =>
      Number(rows.find((row) => row.state === state)?.n ?? 0);
    return {
      signed: count('signed'),
      outstanding: count('pending') + count('overdue'),
      overdue: count('overdue'),
      ended: count('ended'),
    };
  }

  /** One version's obligations with firm names, in a stable keyset order (by obligation id). */
  async listForVersion(
    conventionVersionId: string,
    options: { cursor?: string | null; limit?: number; states?: ObligationState[] } = {},
  ): Promise<ObligationPage> {
    const limit = Math.min(
      Math.max(options.limit ?? OBLIGATION_PAGE_DEFAULT, 1),
      OBLIGATION_PAGE_MAX,
    );
    const rows = await this.obligations.find({
      where: {
        conventionVersionId,
        ...(options.states ? { state: In(options.states) } : {}),
        ...(options.cursor ? { id: MoreThan(options.cursor) } : {}),
      },
      order: { id: 'ASC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    const names = await this.firms.namesByIds(page.map((row) => row.firmId));
    const newer = await this.newerVersionExists(conventionVersionId);
    return {
      items: page.map((row) => ({
        obligationId: row.id,
        firmId: row.firmId,
        firmName: names.get(row.firmId)?.name ?? '',
        firmNameEn: names.get(row.firmId)?.nameEn ?? null,
        state: row.state,
        status: row.state === 'signed' && newer ? 'superseded' : row.state,
        deadlineOn: row.deadlineOn,
        signedAt: row.signedAt,
        signatureId: row.signatureId,
      })),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  /**
   * The daily deadline job: reminds signatories and firm admins 7 days and 1 day before the
   * deadline, and flags obligations still pending after their deadline as overdue. Each
   * reminder and each flag happens once, however often the job runs.
   */
  async runDeadlines(now: Date): Promise<Record<string, unknown>> {
    const today = beijingDate(now);
    let reminded = 0;
    let flagged = 0;
    let failed = 0;
    const superseded = await this.tx.run((m) => this.endSuperseded(m, now));
    const soon = await this.obligations.find({
      where: { state: 'pending', deadlineOn: Between(addDays(today, 1), addDays(today, 7)) },
      order: { deadlineOn: 'ASC', id: 'ASC' },
    });
    for (const obligation of soon) {
      const daysLeft = daysBetween(today, obligation.deadlineOn);
      const reminder = REMINDERS.find((r) => r.daysLeft === daysLeft);
      if (!reminder) continue;
      try {
        if (await this.tx.run((m) => this.remind(m, obligation.id, reminder.kind, daysLeft, now)))
          reminded++;
      } catch (error) {
        failed++;
        this.logger.event('error', 'pledges.reminder_failed', {
          obligationId: obligation.id,
          error: String(error),
        });
      }
    }
    const late = await this.obligations.find({
      where: { state: 'pending', deadlineOn: LessThan(today) },
      order: { id: 'ASC' },
    });
    for (const obligation of late) {
      try {
        if (await this.tx.run((m) => this.flagOverdue(m, obligation.id, today))) flagged++;
      } catch (error) {
        failed++;
        this.logger.event('error', 'pledges.overdue_failed', {
          obligationId: obligation.id,
          error: String(error),
        });
      }
    }
    return { today, superseded, reminded, flagged, failed };
  }

  /**
   * Once a newer version is in force, nobody still owes a signature of an older one: its
   * pending and overdue obligations end. Until then (a version announced for a later date)
   * the version in force keeps its obligations. Returns how many ended.
   */
  private async endSuperseded(manager: EntityManager, now: Date): Promise<number> {
    const inForce = await manager.findOne(ConventionVersion, {
      where: { state: 'published', effectiveOn: LessThanOrEqual(beijingDate(now)) },
      order: { effectiveOn: 'DESC', versionNumber: 'DESC' },
    });
    if (!inForce) return 0;
    const older = await manager.find(ConventionVersion, {
      where: { state: 'published', versionNumber: LessThan(inForce.versionNumber) },
      select: { id: true },
    });
    if (older.length === 0) return 0;
    const open = await manager.find(PledgeObligation, {
      where: {
        conventionVersionId: In(older.map((v) => v.id)),
        state: In(['pending', 'overdue']),
      },
      order: { id: 'ASC' },
    });
    for (const obligation of open) await this.end(manager, obligation, 'superseded', now);
    return open.length;
  }

  private async flagOverdue(manager: EntityManager, id: string, today: string): Promise<boolean> {
    const obligation = await manager.findOneBy(PledgeObligation, { id });
    // Re-read: it may have been signed or ended since the list was taken.
    if (!obligation || obligation.state !== 'pending' || obligation.deadlineOn >= today)
      return false;
    assertObligationTransition('pending', 'deadline_passed', 'overdue');
    await updateVersioned(manager, PledgeObligation, id, obligation.version, { state: 'overdue' });
    await this.audit.record(manager, {
      actor: null,
      action: 'pledges.obligation_overdue',
      subjectType: 'firm',
      subjectId: obligation.firmId,
      summary: {
        obligationId: id,
        conventionVersionId: obligation.conventionVersionId,
        deadlineOn: obligation.deadlineOn,
        state: { from: 'pending', to: 'overdue' },
      },
    });
    return true;
  }

  private async remind(
    manager: EntityManager,
    id: string,
    kind: string,
    daysLeft: number,
    now: Date,
  ): Promise<boolean> {
    const obligation = await manager.findOneBy(PledgeObligation, { id });
    if (!obligation || obligation.state !== 'pending') return false;
    if (await manager.findOneBy(PledgeReminder, { obligationId: id, kind })) return false;
    await manager.insert(PledgeReminder, { obligationId: id, kind, sentAt: now });
    const firm = await this.firms.findById(obligation.firmId);
    const version = await manager.findOneByOrFail(ConventionVersion, {
      id: obligation.conventionVersionId,
    });
    if (!firm) return true;
    const recipients = new Map<
      string,
      { id: string; email: string; name: string; locale: 'zh-CN' | 'en' }
    >();
    for (const admin of await this.users.firmAdmins(manager, firm.id))
      recipients.set(admin.id, admin);
    if (firm.signatoryUserId) {
      const signatory = await this.users.findById(firm.signatoryUserId);
      if (signatory && signatory.disabledAt === null) recipients.set(signatory.id, signatory);
    }
    for (const person of recipients.values()) {
      await this.notifications.queueEmail(manager, {
        to: person.email,
        template: 'pledge-deadline-reminder',
        locale: person.locale,
        context: {
          name: person.name,
          firmName: firm.name,
          versionNumber: version.versionNumber,
          title: version.titleZh,
          deadlineOn: obligation.deadlineOn,
          daysLeft,
        },
      });
    }
    await this.audit.record(manager, {
      actor: null,
      action: 'pledges.reminder_sent',
      subjectType: 'firm',
      subjectId: firm.id,
      summary: {
        obligationId: id,
        kind,
        deadlineOn: obligation.deadlineOn,
        recipients: recipients.size,
      },
    });
    return true;
  }

  private async end(
    manager: EntityManager,
    obligation: PledgeObligation,
    reason: string,
    now: Date,
  ): Promise<void> {
    assertObligationTransition(obligation.state, 'end', 'ended');
    await updateVersioned(manager, PledgeObligation, obligation.id, obligation.version, {
      state: 'ended',
      endedAt: now,
      endedReason: reason,
    });
    await this.audit.record(manager, {
      actor: null,
      action: 'pledges.obligation_ended',
      subjectType: 'firm',
      subjectId: obligation.firmId,
      summary: {
        obligationId: obligation.id,
        conventionVersionId: obligation.conventionVersionId,
        state: { from: obligation.state, to: 'ended' },
        reason,
      },
    });
  }

  private newObligation(
    firmId: string,
    conventionVersionId: string,
    deadlineOn: string,
    now: Date,
  ): PledgeObligation {
    return Object.assign(new PledgeObligation(), {
      id: randomUUID(),
      firmId,
      conventionVersionId,
      state: 'pending',
      deadlineOn,
      signedAt: null,
      signatureId: null,
      endedAt: null,
      endedReason: null,
      createdAt: now,
      version: 1,
    });
  }

  private async versionNumbers(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.obligations.manager.find(ConventionVersion, {
      where: { id: In(ids) },
      select: { id: true, versionNumber: true },
    });
    return new Map(rows.map((row) => [row.id, row.versionNumber]));
  }

  private async newerVersionExists(conventionVersionId: string): Promise<boolean> {
    const version = await this.obligations.manager.findOneBy(ConventionVersion, {
      id: conventionVersionId,
    });
    if (!version) return false;
    return this.obligations.manager.exists(ConventionVersion, {
      where: { state: 'published', versionNumber: MoreThan(version.versionNumber) },
    });
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { beijingDate, daysBetween, isCalendarDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { RatingCycle } from './entities/rating-cycle.entity.js';
import { RatingReminder } from './entities/rating-reminder.entity.js';
import { RatingSubmission } from './entities/rating-submission.entity.js';
import { ScorecardVersion } from './entities/scorecard-version.entity.js';
import { RatingsError } from './ratings.errors.js';

export interface CycleInput {
  nameZh: string;
  nameEn: string;
  scorecardId: string;
  periodFrom: string;
  periodTo: string;
  opensOn: string;
  closesOn: string;
}

export interface CycleView extends CycleInput {
  id: string;
  scorecardNumber: number | null;
  state: RatingCycle['state'];
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  version: number;
}

/** Days before closesOn on which firms that have not submitted are reminded. */
export const REMINDER_DAYS = [7, 1] as const;

export function toCycleView(cycle: RatingCycle, scorecardNumber: number | null = null): CycleView {
  return {
    id: cycle.id,
    nameZh: cycle.nameZh,
    nameEn: cycle.nameEn,
    scorecardId: cycle.scorecardId,
    scorecardNumber,
    periodFrom: cycle.periodFrom,
    periodTo: cycle.periodTo,
    opensOn: cycle.opensOn,
    closesOn: cycle.closesOn,
    state: cycle.state,
    createdAt: cycle.createdAt.toISOString(),
    openedAt: cycle.openedAt?.toISOString() ?? null,
    closedAt: cycle.closedAt?.toISOString() ?? null,
    version: cycle.version,
  };
}

/** The date rules of a cycle, checked on create and on every edit. */
export function cycleDatesValid(
  c: Omit<CycleInput, 'nameZh' | 'nameEn' | 'scorecardId'>,
  today: string,
): boolean {
  const dates = [c.periodFrom, c.periodTo, c.opensOn, c.closesOn];
  if (!dates.every((d) => typeof d === 'string' && isCalendarDate(d))) return false;
  return c.periodFrom <= c.periodTo && c.opensOn <= c.closesOn && c.closesOn >= today;
}

/** Submission states in which the firm has not (or no longer) handed in its figures. */
const NOT_SUBMITTED = ['draft', 'returned'];

/**
 * Rating cycles: staff admins create a draft, open it (the admins of every active member firm
 * are told), and close it; the daily job closes cycles past their window and reminds firms
 * that have not submitted.
 */
@Injectable()
export class CyclesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly firms: FirmsService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(states?: RatingCycle['state'][]): Promise<RatingCycle[]> {
    return this.dataSource.manager.find(RatingCycle, {
      where: states ? { state: In(states) } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: 200,
    });
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<RatingCycle> {
    const cycle = await manager.findOneBy(RatingCycle, { id });
    if (!cycle) throw new RatingsError('CYCLE_NOT_FOUND');
    return cycle;
  }

  /** A cycle a firm user may see: open or closed (drafts are staff business). */
  async getForFirm(id: string): Promise<RatingCycle> {
    const cycle = await this.get(id);
    if (cycle.state === 'draft') throw new RatingsError('CYCLE_NOT_FOUND');
    return cycle;
  }

  async view(cycle: RatingCycle): Promise<CycleView> {
    const scorecard = await this.dataSource.manager.findOneBy(ScorecardVersion, {
      id: cycle.scorecardId,
    });
    return toCycleView(cycle, scorecard?.number ?? null);
  }

  create(actor: Actor, input: CycleInput, meta?: Partial<RequestMeta>): Promise<RatingCycle> {
    return this.tx.run(async (manager) => {
      await this.checkInput(manager, input);
      const now = new Date();
      const cycle: RatingCycle = {
        id: randomUUID(),
        nameZh: input.nameZh.trim(),
        nameEn: input.nameEn.trim(),
        scorecardId: input.scorecardId,
        periodFrom: input.periodFrom,
        periodTo: input.periodTo,
        opensOn: input.opensOn,
        closesOn: input.closesOn,
        state: 'draft',
        createdBy: actor.id,
        createdAt: now,
        openedAt: null,
        closedAt: null,
        updatedAt: now,
        version: 1,
      };
      await manager.insert(RatingCycle, cycle);
      await this.record(manager, actor, 'ratings.cycle_created', cycle, { ...input }, meta);
      return cycle;
    });
  }

  update(
    actor: Actor,
    id: string,
    changes: Partial<CycleInput> & { version?: number },
    meta?: Partial<RequestMeta>,
  ): Promise<RatingCycle> {
    return this.tx.run(async (manager) => {
      const cycle = await this.get(id, manager);
      if (cycle.state !== 'draft') throw new RatingsError('CYCLE_NOT_DRAFT');
      const { version, ...fields } = changes;
      const merged: CycleInput = { ...cycle, ...fields };
      await this.checkInput(manager, merged);
      const next: Partial<RatingCycle> = {
        nameZh: merged.nameZh.trim(),
        nameEn: merged.nameEn.trim(),
        scorecardId: merged.scorecardId,
        periodFrom: merged.periodFrom,
        periodTo: merged.periodTo,
        opensOn: merged.opensOn,
        closesOn: merged.closesOn,
        updatedAt: new Date(),
      };
      await updateVersioned(manager, RatingCycle, id, version ?? cycle.version, next);
      const updated = { ...cycle, ...next, version: cycle.version + 1 };
      await this.record(manager, actor, 'ratings.cycle_edited', updated, { ...fields }, meta);
      return updated;
    });
  }

  /** Opens a draft cycle and tells the admins of every active member firm (notice + e-mail). */
  async open(actor: Actor, id: string, meta?: Partial<RequestMeta>): Promise<RatingCycle> {
    const firmIds = await this.activeFirmIds();
    return this.tx.run(async (manager) => {
      const cycle = await this.get(id, manager);
      if (cycle.state !== 'draft') throw new RatingsError('CYCLE_NOT_DRAFT');
      if (cycle.closesOn < beijingDate(new Date())) throw new RatingsError('CYCLE_DATES_INVALID');
      const now = new Date();
      const next: Partial<RatingCycle> = { state: 'open', openedAt: now, updatedAt: now };
      await updateVersioned(manager, RatingCycle, id, cycle.version, next);
      const opened = { ...cycle, ...next, version: cycle.version + 1 };
      const names = await this.firms.namesByIds(firmIds, manager);
      let recipients = 0;
      for (const firmId of firmIds) {
        for (const admin of await this.users.firmAdmins(manager, firmId)) {
          recipients++;
          await this.notifications.notify(manager, {
            userId: admin.id,
            kind: 'ratings.cycle_opened',
            titleZh: `信用评级“${opened.nameZh}”已开放申报，截止 ${opened.closesOn}`,
            titleEn: `Credit rating "${opened.nameEn}" is open until ${opened.closesOn}`,
            link: `/firm/ratings/cycles/${opened.id}`,
          });
          await this.notifications.queueEmail(manager, {
            to: admin.email,
            template: 'rating-cycle-opened',
            locale: admin.locale,
            context: this.emailContext(opened, admin, names.get(firmId)?.name ?? ''),
          });
        }
      }
      await this.record(
        manager,
        actor,
        'ratings.cycle_opened',
        opened,
        { firms: firmIds.length, recipients },
        meta,
      );
      return opened;
    });
  }

  close(actor: Actor | null, id: string, meta?: Partial<RequestMeta>): Promise<RatingCycle> {
    return this.tx.run(async (manager) => {
      const cycle = await this.get(id, manager);
      if (cycle.state !== 'open') throw new RatingsError('CYCLE_NOT_OPEN');
      return this.closeIn(manager, actor, cycle, meta);
    });
  }

  /** The daily job: closes open cycles whose window ended before today (Beijing). */
  async closeExpired(now: Date): Promise<number> {
    const today = beijingDate(now);
    const due = await this.dataSource.manager.find(RatingCycle, {
      where: { state: 'open', closesOn: LessThan(today) },
    });
    let closed = 0;
    for (const { id } of due)
      closed += await this.tx.run(async (manager) => {
        const cycle = await this.get(id, manager);
        if (cycle.state !== 'open' || cycle.closesOn >= today) return 0;
        await this.closeIn(manager, null, cycle);
        return 1;
      });
    return closed;
  }

  /**
   * The daily job: e-mails the admins of active firms that have not submitted, 7 days and 1 day
   * before the window closes; the (cycle, firm, kind) key makes each reminder once only.
   */
  async sendReminders(now: Date): Promise<number> {
    const today = beijingDate(now);
    const cycles = await this.dataSource.manager.find(RatingCycle, { where: { state: 'open' } });
    const due = cycles.filter((c) =>
      (REMINDER_DAYS as readonly number[]).includes(daysBetween(today, c.closesOn)),
    );
    if (due.length === 0) return 0;
    const firmIds = await this.activeFirmIds();
    let sent = 0;
    for (const cycle of due) {
      const daysLeft = daysBetween(today, cycle.closesOn);
      const kind = `${daysLeft}d`;
      for (const firmId of firmIds)
        sent += await this.tx.run((manager) =>
          this.remind(manager, cycle, firmId, kind, daysLeft, now),
        );
    }
    return sent;
  }

  /** Ids of the active member firms (suspended members do not take part). */
  activeFirmIds(): Promise<string[]> {
    return this.firms.activeMemberIds(this.dataSource.manager);
  }

  private async remind(
    manager: EntityManager,
    cycle: RatingCycle,
    firmId: string,
    kind: string,
    daysLeft: number,
    now: Date,
  ): Promise<number> {
    if (await manager.findOneBy(RatingReminder, { cycleId: cycle.id, firmId, kind })) return 0;
    const submission = await manager.findOneBy(RatingSubmission, { cycleId: cycle.id, firmId });
    if (submission && !NOT_SUBMITTED.includes(submission.state)) return 0;
    await manager.insert(RatingReminder, { cycleId: cycle.id, firmId, kind, sentAt: now });
    const firmName = (await this.firms.namesByIds([firmId], manager)).get(firmId)?.name ?? '';
    const admins = await this.users.firmAdmins(manager, firmId);
    for (const admin of admins)
      await this.notifications.queueEmail(manager, {
        to: admin.email,
        template: 'rating-cycle-reminder',
        locale: admin.locale,
        context: { ...this.emailContext(cycle, admin, firmName), daysLeft },
      });
    await this.audit.record(manager, {
      actor: null,
      action: 'ratings.cycle_reminder_sent',
      subjectType: 'rating_cycle',
      subjectId: cycle.id,
      summary: { firmId, kind, recipients: admins.length },
    });
    return 1;
  }

  private emailContext(
    cycle: RatingCycle,
    admin: { name: string; locale: string },
    firmName: string,
  ): Record<string, unknown> {
    return {
      name: admin.name,
      firmName,
      cycleId: cycle.id,
      cycleName: admin.locale === 'en' ? cycle.nameEn : cycle.nameZh,
      periodFrom: cycle.periodFrom,
      periodTo: cycle.periodTo,
      opensOn: cycle.opensOn,
      closesOn: cycle.closesOn,
    };
  }

  private async closeIn(
    manager: EntityManager,
    actor: Actor | null,
    cycle: RatingCycle,
    meta?: Partial<RequestMeta>,
  ): Promise<RatingCycle> {
    const now = new Date();
    const next: Partial<RatingCycle> = { state: 'closed', closedAt: now, updatedAt: now };
    await updateVersioned(manager, RatingCycle, cycle.id, cycle.version, next);
    const closed = { ...cycle, ...next, version: cycle.version + 1 };
    await this.record(
      manager,
      actor,
      'ratings.cycle_closed',
      closed,
      { automatic: actor === null },
      meta,
    );
    return closed;
  }

  private async checkInput(manager: EntityManager, input: CycleInput): Promise<void> {
    if (!cycleDatesValid(input, beijingDate(new Date())))
      throw new RatingsError('CYCLE_DATES_INVALID');
    const scorecard = await manager.findOneBy(ScorecardVersion, { id: input.scorecardId });
    if (!scorecard) throw new RatingsError('SCORECARD_NOT_FOUND');
    if (scorecard.status !== 'published') throw new RatingsError('SCORECARD_NOT_PUBLISHED');
  }

  private async record(
    manager: EntityManager,
    actor: Actor | null,
    action: string,
    cycle: RatingCycle,
    detail: Record<string, unknown>,
    meta?: Partial<RequestMeta>,
  ): Promise<void> {
    await this.audit.record(manager, {
      actor,
      action,
      subjectType: 'rating_cycle',
      subjectId: cycle.id,
      summary: { state: cycle.state, ...detail },
      meta,
    });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, type EntityManager, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isCalendarDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { DisputesError } from './disputes.errors.js';
import { CalendarDay, type CalendarDayKind } from './entities/calendar-day.entity.js';
import { WorkingCalendar } from './working-calendar.js';

/** How long a loaded calendar is trusted before it is read again (another instance may edit). */
const CACHE_MS = 60_000;

export interface CalendarDayView {
  date: string;
  kind: CalendarDayKind;
  nameZh: string;
  nameEn: string;
  updatedAt: string;
}

export function toCalendarDayView(day: CalendarDay): CalendarDayView {
  return {
    date: day.date,
    kind: day.kind,
    nameZh: day.nameZh,
    nameEn: day.nameEn,
    updatedAt: day.updatedAt.toISOString(),
  };
}

/**
 * The official working-day calendar as data: staff add or remove holidays and adjusted working
 * days; every deadline is counted on `calendar()`. Changes apply to clocks started afterwards;
 * running clocks keep the due date they were given.
 */
@Injectable()
export class CalendarService {
  private cached: { calendar: WorkingCalendar; loadedAt: number } | null = null;

  constructor(
    @InjectRepository(CalendarDay) private readonly days: Repository<CalendarDay>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The calendar in force. Inside a transaction pass its manager: on PostgreSQL a read through
   * the repository would take a second pooled connection while the transaction holds one, and
   * enough concurrent transactions doing that exhaust the pool and wait on each other forever.
   */
  async calendar(manager?: EntityManager): Promise<WorkingCalendar> {
    if (this.cached && Date.now() - this.cached.loadedAt < CACHE_MS) return this.cached.calendar;
    const rows = manager ? await manager.find(CalendarDay) : await this.days.find();
    const calendar = new WorkingCalendar(new Map(rows.map((d) => [d.date, d.kind])));
    this.cached = { calendar, loadedAt: Date.now() };
    return calendar;
  }

  /** The exceptions of one year, in date order. */
  async list(year: number): Promise<CalendarDay[]> {
    return this.days.find({
      where: { date: Between(`${year}-01-01`, `${year}-12-31`) },
      order: { date: 'ASC' },
    });
  }

  /** Adds or replaces the exception for a date. */
  async upsert(
    actor: Actor,
    input: { date: string; kind: CalendarDayKind; nameZh: string; nameEn: string },
    meta: Partial<RequestMeta> = {},
  ): Promise<CalendarDay> {
    const { date, kind } = input;
    if (!isCalendarDate(date) || (kind !== 'holiday' && kind !== 'workday'))
      throw new DisputesError('CALENDAR_DATE_INVALID');
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    // A holiday on a weekend or a "working Saturday" on a Tuesday would change nothing: a typo.
    if ((kind === 'holiday' && weekend) || (kind === 'workday' && !weekend))
      throw new DisputesError('CALENDAR_DATE_INVALID');
    const nameZh = input.nameZh.trim().slice(0, 50);
    const nameEn = input.nameEn.trim().slice(0, 50);
    if (!nameZh || !nameEn) throw new DisputesError('CALENDAR_DATE_INVALID');
    const day = await this.tx.run(async (manager) => {
      const before = await manager.findOneBy(CalendarDay, { date });
      const row: CalendarDay = {
        date,
        kind,
        nameZh,
        nameEn,
        updatedBy: actor.id,
        updatedAt: new Date(),
      };
      await manager.save(CalendarDay, row);
      await this.audit.record(manager, {
        actor,
        action: 'disputes.calendar_day_saved',
        subjectType: 'calendar_day',
        subjectId: date,
        summary: { kind, nameZh, nameEn, before: before ? { kind: before.kind } : null },
        meta,
      });
      return row;
    });
    this.cached = null;
    return day;
  }

  async remove(actor: Actor, date: string, meta: Partial<RequestMeta> = {}): Promise<void> {
    await this.tx.run(async (manager) => {
      const before = await manager.findOneBy(CalendarDay, { date });
      if (!before) throw new DisputesError('CALENDAR_DAY_NOT_FOUND');
      await manager.delete(CalendarDay, { date });
      await this.audit.record(manager, {
        actor,
        action: 'disputes.calendar_day_removed',
        subjectType: 'calendar_day',
        subjectId: date,
        summary: { kind: before.kind, nameZh: before.nameZh },
        meta,
      });
    });
    this.cached = null;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, MoreThanOrEqual, type DataSource } from 'typeorm';
import {
  addDays,
  beijingDate,
  isCalendarDate,
  startOfBeijingDate,
} from '../../common/time/beijing.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { FirmsService } from '../membership/firms.service.js';
import { DisputeDeadline } from './entities/dispute-deadline.entity.js';
import { DisputeSurvey } from './entities/dispute-survey.entity.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { OverdueService, type OverdueItem } from './overdue.service.js';
import { OPEN_STATES, type TicketState } from './ticket.state.js';

const DAY_MS = 86_400_000;

/** One firm's record as a respondent over a period (the ratings issue reads this). */
export interface FirmDisputeStatistics {
  firmId: string;
  from: string;
  to: string;
  /** Complaints filed against the firm in the period (by filing date, Beijing). */
  filed: number;
  /** Of those, accepted at triage. */
  accepted: number;
  rejected: number;
  /** Settled, failed or withdrawn. */
  resolved: number;
  settled: number;
  failed: number;
  withdrawn: number;
  /** settled / (settled + failed): mediations that ended with an agreement; null when none ended. */
  settlementRate: number | null;
  /** Firm-response clocks started in the period that went past their due date (met late or not). */
  overdueResponses: number;
  /** Firm-response clocks started in the period and met on time. */
  responsesMet: number;
  /** Mean calendar days from filing to resolution, one decimal; null when none resolved. */
  averageResolutionDays: number | null;
  /** Mean rating (1–5, two decimals) of surveys submitted in the period; null without any. */
  averageRating: number | null;
  ratings: number;
}

export interface DashboardNumbers {
  generatedAt: string;
  openByState: Array<{ state: TicketState; count: number }>;
  byFirm: Array<{ firmId: string; firmName: string; count: number }>;
  outcomes: { settled: number; failed: number; withdrawn: number; rejected: number };
  settlementRate: number | null;
  /** Over tickets resolved in the last six months. */
  averageResolutionDays: number | null;
  /** The last six Beijing months, oldest first. */
  resolutionByMonth: Array<{ month: string; resolved: number; averageDays: number | null }>;
  overdue: Array<OverdueItem & { firmName: string }>;
}

export interface PeriodInput {
  from?: string | null;
  to?: string | null;
}

const round = (value: number, places: number): number => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : round(part / whole, 4);

function averageDays(
  rows: Array<{ filedAt: Date | null; resolvedAt: Date | null }>,
): number | null {
  const spans = rows
    .filter((r) => r.filedAt && r.resolvedAt)
    .map(
      (r) =>
        (new Date(r.resolvedAt as Date).getTime() - new Date(r.filedAt as Date).getTime()) / DAY_MS,
    );
  if (spans.length === 0) return null;
  return round(spans.reduce((a, b) => a + b, 0) / spans.length, 1);
}

/** Ticket outcomes and clock performance, per firm and for the staff dashboard. Read-only. */
@Injectable()
export class DisputeStatisticsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly overdueList: OverdueService,
    private readonly firms: FirmsService,
  ) {}

  /** A period of Beijing dates, both ends included; defaults to the last 365 days. */
  static period(input: PeriodInput, now = new Date()): { from: string; to: string } {
    const to = input.to ?? beijingDate(now);
    const from = input.from ?? addDays(to, -364);
    if (!isCalendarDate(from) || !isCalendarDate(to) || from > to)
      throw new CommonError('VALIDATION_FAILED', { field: 'from' });
    return { from, to };
  }

  async forFirm(firmId: string, input: PeriodInput = {}): Promise<FirmDisputeStatistics> {
    const { from, to } = DisputeStatisticsService.period(input);
    const start = startOfBeijingDate(from);
    const end = startOfBeijingDate(addDays(to, 1));
    const tickets = await this.db
      .getRepository(DisputeTicket)
      .createQueryBuilder('t')
      .select(['t.id', 't.outcome', 't.triagedAt', 't.filedAt', 't.resolvedAt', 't.rejectReason'])
      .where('t.firmId = :firmId', { firmId })
      .andWhere('t.filedAt >= :start AND t.filedAt < :end', { start, end })
      .getMany();
    const count = (outcome: string): number => tickets.filter((t) => t.outcome === outcome).length;
    const settled = count('settled');
    const failed = count('failed');
    const withdrawn = count('withdrawn');
    const rejected = count('rejected');
    const responses = await this.db
      .getRepository(DisputeDeadline)
      .createQueryBuilder('d')
      .select(['d.id', 'd.status', 'd.breachedAt'])
      .where('d.firmId = :firmId AND d.kind = :kind', { firmId, kind: 'firm_response' })
      .andWhere('d.startedOn >= :from AND d.startedOn <= :to', { from, to })
      .getMany();
    const surveys = await this.db
      .getRepository(DisputeSurvey)
      .createQueryBuilder('s')
      .select(['s.ticketId', 's.rating'])
      .where('s.firmId = :firmId', { firmId })
      .andWhere('s.submittedAt >= :start AND s.submittedAt < :end', { start, end })
      .getMany();
    return {
      firmId,
      from,
      to,
      filed: tickets.length,
      accepted: tickets.filter((t) => t.triagedAt !== null && t.outcome !== 'rejected').length,
      rejected,
      resolved: settled + failed + withdrawn,
      settled,
      failed,
      withdrawn,
      settlementRate: ratio(settled, settled + failed),
      overdueResponses: responses.filter((d) => d.breachedAt !== null).length,
      responsesMet: responses.filter((d) => d.status === 'met' && d.breachedAt === null).length,
      averageResolutionDays: averageDays(tickets.filter((t) => t.resolvedAt !== null)),
      averageRating: surveys.length
        ? round(surveys.reduce((a, s) => a + s.rating, 0) / surveys.length, 2)
        : null,
      ratings: surveys.length,
    };
  }

  /** The staff dashboard's numbers, across all firms. */
  async dashboard(now = new Date()): Promise<DashboardNumbers> {
    const tickets = this.db.getRepository(DisputeTicket);
    const byState = await tickets
      .createQueryBuilder('t')
      .select('t.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .where('t.state IN (:...states)', { states: OPEN_STATES })
      .groupBy('t.state')
      .getRawMany<{ state: TicketState; n: string | number }>();
    const stateCount = new Map(byState.map((r) => [r.state, Number(r.n)]));
    const byFirmRaw = await tickets
      .createQueryBuilder('t')
      .select('t.firmId', 'firmId')
      .addSelect('COUNT(*)', 'n')
      .where('t.state <> :draft AND t.firmId IS NOT NULL', { draft: 'draft' })
      .groupBy('t.firmId')
      .orderBy('n', 'DESC')
      .addOrderBy('t.firmId', 'ASC')
      .limit(10)
      .getRawMany<{ firmId: string; n: string | number }>();
    const names = await this.firmNames(byFirmRaw.map((r) => r.firmId));
    const outcomesRaw = await tickets
      .createQueryBuilder('t')
      .select('t.outcome', 'outcome')
      .addSelect('COUNT(*)', 'n')
      .where('t.outcome IS NOT NULL')
      .groupBy('t.outcome')
      .getRawMany<{ outcome: string; n: string | number }>();
    const outcome = (name: string): number =>
      Number(outcomesRaw.find((r) => r.outcome === name)?.n ?? 0);
    const months = lastMonths(now, 6);
    const since = startOfBeijingDate(`${months[0]}-01`);
    const resolved = await tickets.find({
      select: { id: true, filedAt: true, resolvedAt: true },
      where: {
        resolvedAt: MoreThanOrEqual(since),
        outcome: In(['settled', 'failed', 'withdrawn']),
      },
    });
    const overdue = await this.overdueList.overdue(now);
    const overdueNames = await this.firmNames(overdue.map((o) => o.firmId));
    const settled = outcome('settled');
    const failed = outcome('failed');
    return {
      generatedAt: now.toISOString(),
      openByState: OPEN_STATES.map((state) => ({ state, count: stateCount.get(state) ?? 0 })),
      byFirm: byFirmRaw.map((r) => ({
        firmId: r.firmId,
        firmName: names.get(r.firmId) ?? r.firmId,
        count: Number(r.n),
      })),
      outcomes: { settled, failed, withdrawn: outcome('withdrawn'), rejected: outcome('rejected') },
      settlementRate: ratio(settled, settled + failed),
      averageResolutionDays: averageDays(resolved),
      resolutionByMonth: months.map((month) => {
        const inMonth = resolved.filter(
          (r) => beijingDate(new Date(r.resolvedAt as Date)).slice(0, 7) === month,
        );
        return { month, resolved: inMonth.length, averageDays: averageDays(inMonth) };
      }),
      overdue: overdue.map((o) => ({ ...o, firmName: overdueNames.get(o.firmId) ?? o.firmId })),
    };
  }

  private async firmNames(ids: string[]): Promise<Map<string, string>> {
    const names = await this.firms.namesByIds([...new Set(ids)]);
    return new Map([...names].map(([id, n]) => [id, n.name]));
  }
}

/** `count` Beijing months (YYYY-MM) ending with the current one, oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  const [y, m] = beijingDate(now).split('-').map(Number);
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

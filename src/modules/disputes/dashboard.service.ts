import { Injectable } from '@nestjs/common';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { CSV_BOM, csvRecord } from '../../common/csv.js';
import { DisputeStatisticsService, type DashboardNumbers } from './statistics.service.js';
import { barChart } from '../../common/views/svg-charts.js';
import { ticketPath } from './ticket-page-actions.js';

export interface DashboardChart {
  id: string;
  title: string;
  /** SVG markup from svg-charts.ts (every text in it escaped). */
  svg: string;
}

export interface DashboardPage {
  generatedAt: string;
  settlementRate: string;
  averageResolutionDays: string;
  charts: DashboardChart[];
  overdue: Array<{
    number: string;
    href: string;
    firmName: string;
    stateLabel: string;
    clockLabel: string;
    dueOn: string;
    escalated: boolean;
  }>;
  csvUrl: string;
}

const percent = (rate: number | null): string =>
  rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
const days = (value: number | null): string => (value === null ? '—' : value.toFixed(1));

/** The staff dashboard as charts (server-side SVG) and as one CSV file, from the statistics. */
@Injectable()
export class DashboardService {
  constructor(private readonly statistics: DisputeStatisticsService) {}

  numbers(now = new Date()): Promise<DashboardNumbers> {
    return this.statistics.dashboard(now);
  }

  async page(locale: Locale, now = new Date()): Promise<DashboardPage> {
    const n = await this.statistics.dashboard(now);
    const t = (key: string, params?: Record<string, unknown>): string =>
      translate(locale, key, params);
    const empty = t('disputes.dashboard.empty');
    const charts: DashboardChart[] = [
      {
        id: 'by-state',
        title: t('disputes.dashboard.chart.byState'),
        svg: barChart({
          title: t('disputes.dashboard.chart.byState'),
          emptyText: empty,
          bars: n.openByState.map((s) => ({
            label: t(`disputes.state.${s.state}`),
            value: s.count,
          })),
        }),
      },
      {
        id: 'by-firm',
        title: t('disputes.dashboard.chart.byFirm'),
        svg: barChart({
          title: t('disputes.dashboard.chart.byFirm'),
          emptyText: empty,
          bars: n.byFirm.map((f) => ({ label: f.firmName, value: f.count })),
        }),
      },
      {
        id: 'resolution',
        title: t('disputes.dashboard.chart.resolution'),
        svg: barChart({
          title: t('disputes.dashboard.chart.resolution'),
          emptyText: empty,
          bars: n.resolutionByMonth.map((m) => ({
            label: m.month,
            value: m.averageDays ?? 0,
            display: t('disputes.dashboard.daysOf', {
              days: days(m.averageDays),
              count: m.resolved,
            }),
          })),
        }),
      },
      {
        id: 'outcomes',
        title: t('disputes.dashboard.chart.outcomes', { rate: percent(n.settlementRate) }),
        svg: barChart({
          title: t('disputes.dashboard.chart.outcomes', { rate: percent(n.settlementRate) }),
          emptyText: empty,
          bars: (['settled', 'failed', 'withdrawn', 'rejected'] as const).map((o) => ({
            label: t(`disputes.dashboard.outcome.${o}`),
            value: n.outcomes[o],
          })),
        }),
      },
    ];
    return {
      generatedAt: n.generatedAt,
      settlementRate: percent(n.settlementRate),
      averageResolutionDays: days(n.averageResolutionDays),
      charts,
      overdue: n.overdue.map((o) => ({
        number: o.number ?? '',
        href: ticketPath(o.ticketId),
        firmName: o.firmName,
        stateLabel: o.state ? t(`disputes.state.${o.state}`) : '',
        clockLabel: t(`disputes.deadline.${o.kind}`),
        dueOn: o.dueOn,
        escalated: o.breachedAt !== null,
      })),
      csvUrl: '/staff/disputes/dashboard.csv',
    };
  }

  /** Every dashboard figure as one CSV (UTF-8 with BOM for Excel; formula-like cells defused). */
  async csv(locale: Locale, now = new Date()): Promise<string> {
    const n = await this.statistics.dashboard(now);
    const t = (key: string): string => translate(locale, key);
    const rows: Array<Array<string | number | null>> = [
      ['section', 'key', 'label', 'value', 'due_on'],
      ...n.openByState.map((s) => [
        'open_by_state',
        s.state,
        t(`disputes.state.${s.state}`),
        s.count,
        null,
      ]),
      ...n.byFirm.map((f) => ['complaints_by_firm', f.firmId, f.firmName, f.count, null]),
      ...(['settled', 'failed', 'withdrawn', 'rejected'] as const).map((o) => [
        'outcome',
        o,
        t(`disputes.dashboard.outcome.${o}`),
        n.outcomes[o],
        null,
      ]),
      ['settlement_rate', 'all', t('disputes.dashboard.settlementRate'), n.settlementRate, null],
      [
        'average_resolution_days',
        'last_6_months',
        t('disputes.dashboard.averageDays'),
        n.averageResolutionDays,
        null,
      ],
      ...n.resolutionByMonth.map((m) => [
        'resolution_by_month',
        m.month,
        String(m.resolved),
        m.averageDays,
        null,
      ]),
      ...n.overdue.map((o) => [
        'overdue',
        o.number,
        `${o.firmName} · ${t(`disputes.deadline.${o.kind}`)}`,
        o.breachedAt ? 'escalated' : 'late',
        o.dueOn,
      ]),
    ];
    return CSV_BOM + rows.map(csvRecord).join('');
  }

  fileName(now = new Date()): string {
    return `szifa-disputes-dashboard-${beijingDate(now)}.csv`;
  }
}

import { FirmsService } from '../membership/firms.service.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Not, type DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { CSV_BOM, csvRecord } from '../../common/csv.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { barChart } from '../../common/views/svg-charts.js';
import { assertStaff } from './conflicts.service.js';
import { FirmRating } from './entities/firm-rating.entity.js';
import { RatingCycle } from './entities/rating-cycle.entity.js';
import { RatingSubmission } from './entities/rating-submission.entity.js';
import { GRADES, type Grade } from './grades.js';
import { RatingsError } from './ratings.errors.js';
import { formatScore } from './scorecard.js';
import { SUBMISSION_STATES, type SubmissionState } from './submission.state.js';

export type OverviewState = SubmissionState | 'not_started';
export const OVERVIEW_STATES: readonly OverviewState[] = ['not_started', ...SUBMISSION_STATES];

export interface OverviewRow {
  firmId: string;
  firmName: string;
  creditCode: string;
  state: OverviewState;
  score: string | null;
  computedGrade: Grade | null;
  proposedGrade: Grade | null;
  publishedGrade: Grade | null;
  underAppeal: boolean;
  submissionId: string | null;
}

export interface CycleOverview {
  cycleId: string;
  nameZh: string;
  nameEn: string;
  counts: Record<OverviewState, number>;
  /** Published grades of the cycle (a record changed on appeal counts once, as its new grade). */
  grades: Record<Grade, number>;
  rows: OverviewRow[];
}

/**
 * A cycle at a glance for staff: submissions by state (active member firms that have not
 * started included), the distribution of published grades, one row per firm; as a page with a
 * server-side SVG chart and as CSV.
 */
@Injectable()
export class OverviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly firms: FirmsService,
  ) {}

  async overview(actor: Actor, cycleId: string): Promise<CycleOverview> {
    assertStaff(actor);
    const m = this.db.manager;
    const cycle = await m.findOneBy(RatingCycle, { id: cycleId });
    if (!cycle) throw new RatingsError('CYCLE_NOT_FOUND');
    const submissions = await m.find(RatingSubmission, { where: { cycleId } });
    const ratings = await m.find(FirmRating, {
      where: { cycleId, status: Not('changed') },
      order: { publishedAt: 'ASC', id: 'ASC' },
    });
    const submitted = new Set(submissions.map((s) => s.firmId));
    const notStarted =
      cycle.state === 'draft'
        ? []
        : (await this.firms.withStatus(m, ['active'])).filter((f) => !submitted.has(f.id));
    const firmIds = [...submitted];
    const firms = await this.firms.byIds(m, firmIds);
    const firmOf = new Map([...firms, ...notStarted].map((f) => [f.id, f]));
    const ratingOf = new Map(ratings.map((r) => [r.submissionId, r]));
    const counts = Object.fromEntries(OVERVIEW_STATES.map((s) => [s, 0])) as Record<
      OverviewState,
      number
    >;
    const grades = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
    for (const r of ratings) grades[r.grade] += 1;
    const rows: OverviewRow[] = [
      ...submissions.map((s): OverviewRow => {
        const rating = ratingOf.get(s.id) ?? null;
        const firm = firmOf.get(s.firmId);
        return {
          firmId: s.firmId,
          firmName: firm?.name ?? '',
          creditCode: firm?.creditCode ?? '',
          state: s.state,
          score: s.scoreHundredths === null ? null : formatScore(s.scoreHundredths),
          computedGrade: s.computedGrade,
          proposedGrade: s.proposedGrade,
          publishedGrade: rating?.grade ?? null,
          underAppeal: rating?.underAppealSince != null,
          submissionId: s.id,
        };
      }),
      ...notStarted.map((f): OverviewRow => ({
        firmId: f.id,
        firmName: f.name,
        creditCode: f.creditCode,
        state: 'not_started',
        score: null,
        computedGrade: null,
        proposedGrade: null,
        publishedGrade: null,
        underAppeal: false,
        submissionId: null,
      })),
    ].sort(
      (a, b) => a.firmName.localeCompare(b.firmName, 'zh-CN') || a.firmId.localeCompare(b.firmId),
    );
    for (const row of rows) counts[row.state] += 1;
    return { cycleId, nameZh: cycle.nameZh, nameEn: cycle.nameEn, counts, grades, rows };
  }

  /** The grade distribution as SVG (every text escaped by barChart). */
  chart(overview: CycleOverview, locale: Locale): string {
    const title = translate(locale, 'ratings.overview.chart');
    return barChart({
      title,
      emptyText: translate(locale, 'ratings.overview.chartEmpty'),
      bars: GRADES.map((g) => ({ label: g, value: overview.grades[g] })),
    });
  }

  /** One row per firm (UTF-8 with BOM; formula-like cells defused). */
  csv(overview: CycleOverview, locale: Locale): string {
    const t = (key: string): string => translate(locale, key);
    const lines = [
      csvRecord([
        'firm',
        'credit_code',
        'state',
        'score',
        'computed_grade',
        'proposed_grade',
        'published_grade',
        'under_appeal',
      ]),
      ...overview.rows.map((r) =>
        csvRecord([
          r.firmName,
          r.creditCode,
          r.state === 'not_started'
            ? t('ratings.overview.state.not_started')
            : t(`ratings.submissionState.${r.state}`),
          r.score,
          r.computedGrade,
          r.proposedGrade,
          r.publishedGrade,
          r.underAppeal ? 'yes' : 'no',
        ]),
      ),
    ];
    return CSV_BOM + lines.join('');
  }
}

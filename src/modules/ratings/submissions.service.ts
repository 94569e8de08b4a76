import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { translate } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { DisputeStatisticsService } from '../disputes/statistics.service.js';
import { FirmsService } from '../membership/firms.service.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { CyclesService } from './cycles.service.js';
import { platformValues, type DisputeCounts } from './dispute-indicators.js';
import { RatingDocumentsService } from './documents.service.js';
import type { RatingCycle } from './entities/rating-cycle.entity.js';
import type { RatingDocument } from './entities/rating-document.entity.js';
import { RatingSubmission } from './entities/rating-submission.entity.js';
import { ScorecardVersion } from './entities/scorecard-version.entity.js';
import { ratingPartyOf } from './rating-party.js';
import { RatingsError } from './ratings.errors.js';
import { ReviewHistoryService } from './review-history.service.js';
import { parseStored } from './scorecards.service.js';
import { checkValue, score, type ScorecardDefinition, type ValueProblem } from './scorecard.js';

export type IndicatorProblemCode = ValueProblem | 'UNKNOWN_INDICATOR' | 'READ_ONLY';

/** One indicator's problem, as the API's VALUES_INVALID lists them and the form shows them. */
export interface IndicatorProblem {
  key: string;
  code: IndicatorProblemCode;
  zh: string;
  en: string;
}

export interface SubmissionView {
  id: string;
  cycleId: string;
  firmId: string;
  state: RatingSubmission['state'];
  firmValues: Record<string, string>;
  platformValues: Record<string, string>;
  scoreHundredths: number | null;
  computedGrade: string | null;
  scorecardFingerprint: string | null;
  returnComment: string | null;
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The firm's view of a cycle: its submission (or null), and the platform's preview values. */
export interface MySubmission {
  cycle: RatingCycle;
  scorecard: ScorecardDefinition;
  submission: RatingSubmission | null;
  /** While editable: computed now from dispute data; once submitted: the stored values. */
  platformValues: Record<string, string>;
  editable: boolean;
}

export function problem(key: string, code: IndicatorProblemCode): IndicatorProblem {
  const msg = `ratings.submissions.problem.${code}`;
  return { key, code, zh: translate('zh-CN', msg), en: translate('en', msg) };
}

export const parseValues = (text: string): Record<string, string> =>
  JSON.parse(text || '{}') as Record<string, string>;

export function toSubmissionView(row: RatingSubmission): SubmissionView {
  return {
    id: row.id,
    cycleId: row.cycleId,
    firmId: row.firmId,
    state: row.state,
    firmValues: parseValues(row.firmValues),
    platformValues: parseValues(row.platformValues),
    scoreHundredths: row.scoreHundredths,
    computedGrade: row.computedGrade,
    scorecardFingerprint: row.scorecardFingerprint,
    returnComment: row.returnComment,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/**
 * Problems with values the firm sends: unknown keys, platform indicators (read-only), and each
 * non-empty value checked with checkValue. With `complete`, a missing firm value is REQUIRED.
 */
export function valueProblems(
  definition: ScorecardDefinition,
  values: Readonly<Record<string, string | null>>,
  complete: boolean,
): IndicatorProblem[] {
  const problems: IndicatorProblem[] = [];
  const byKey = new Map(definition.indicators.map((i) => [i.key, i]));
  for (const key of Object.keys(values)) {
    const ind = byKey.get(key);
    if (!ind) problems.push(problem(key, 'UNKNOWN_INDICATOR'));
    else if (ind.source !== 'firm') problems.push(problem(key, 'READ_ONLY'));
  }
  for (const ind of definition.indicators) {
    if (ind.source !== 'firm') continue;
    const raw = values[ind.key];
    if (!complete && (raw === undefined || raw === null || raw.trim() === '')) continue;
    const code = checkValue(ind, raw);
    if (code) problems.push(problem(ind.key, code));
  }
  return problems;
}

const EDITABLE = ['draft', 'returned'];

/** JSON numbers are taken as their text; anything else that is not text fails checkValue. */
export function normaliseValues(
  input: Readonly<Record<string, unknown>>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(input))
    out[key] =
      value === null || value === undefined
        ? null
        : typeof value === 'string'
          ? value
          : typeof value === 'number' && Number.isFinite(value)
            ? String(value)
            : '?';
  return out;
}

/**
 * A firm's submission for a cycle: draft values, documents, submission within the window. The
 * dispute indicators are the platform's (from DisputeStatisticsService for the cycle period),
 * previewed on the draft and fixed at submission, when the score is computed.
 */
@Injectable()
export class SubmissionsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly history: ReviewHistoryService,
    private readonly cycles: CyclesService,
    private readonly documents: RatingDocumentsService,
    private readonly statistics: DisputeStatisticsService,
    private readonly firms: FirmsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async scorecardOf(
    cycle: RatingCycle,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ row: ScorecardVersion; definition: ScorecardDefinition }> {
    const row = await manager.findOneByOrFail(ScorecardVersion, { id: cycle.scorecardId });
    return { row, definition: parseStored(row) };
  }

  /** The firm user's own submission for a visible cycle (null before the draft is started). */
  async mine(actor: Actor, cycleId: string): Promise<MySubmission> {
    const firmId = this.firmOf(actor);
    const cycle = await this.cycles.getForFirm(cycleId);
    const { definition } = await this.scorecardOf(cycle);
    const submission = await this.dataSource.manager.findOneBy(RatingSubmission, {
      cycleId,
      firmId,
    });
    const editable =
      actor.role === 'firm_admin' &&
      cycle.state === 'open' &&
      beijingDate(new Date()) <= cycle.closesOn &&
      (!submission || EDITABLE.includes(submission.state));
    const preview = editable
      ? platformValues(
          definition,
          await this.counts(firmId, cycle),
          submission ? parseValues(submission.firmValues) : {},
        )
      : submission
        ? parseValues(submission.platformValues)
        : {};
    return { cycle, scorecard: definition, submission, platformValues: preview, editable };
  }

  /** The firm's submissions (newest first), for its ratings page. */
  listForFirm(firmId: string): Promise<RatingSubmission[]> {
    return this.dataSource.manager.find(RatingSubmission, {
      where: { firmId },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: 100,
    });
  }

  /** Submissions of the given firm in the given cycles (home tasks, firm page). */
  byCycles(firmId: string, cycleIds: string[]): Promise<RatingSubmission[]> {
    if (cycleIds.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.find(RatingSubmission, {
      where: { firmId, cycleId: In(cycleIds) },
    });
  }

  /**
   * Saves draft values (a partial draft is fine): keys given replace the stored ones, an empty
   * value clears one. Starts the draft on first save. Any problem refuses the whole save.
   */
  async saveValues(
    actor: Actor,
    cycleId: string,
    input: Readonly<Record<string, unknown>>,
    version: number | undefined,
    meta?: Partial<RequestMeta>,
  ): Promise<RatingSubmission> {
    const firmId = await this.checkFirmAdmin(actor);
    const values = normaliseValues(input);
    return this.tx.run(async (manager) => {
      const cycle = await this.editableCycle(manager, cycleId);
      const { definition } = await this.scorecardOf(cycle, manager);
      const existing = await manager.findOneBy(RatingSubmission, { cycleId, firmId });
      if (existing && !EDITABLE.includes(existing.state))
        throw new RatingsError('SUBMISSION_LOCKED');
      const problems = valueProblems(definition, values, false);
      if (problems.length > 0) throw new RatingsError('VALUES_INVALID', { problems });
      const submission = existing ?? (await this.start(manager, cycle, firmId));
      const merged = parseValues(submission.firmValues);
      for (const [key, raw] of Object.entries(values)) {
        const value = raw?.trim() ?? '';
        if (value === '') delete merged[key];
        else merged[key] = value;
      }
      const changes: Partial<RatingSubmission> = {
        firmValues: JSON.stringify(merged),
        updatedAt: new Date(),
      };
      await updateVersioned(
        manager,
        RatingSubmission,
        submission.id,
        version ?? submission.version,
        changes,
      );
      await this.history.record(manager, {
        submission,
        actor,
        action: 'values_saved',
        detail: { keys: Object.keys(values) },
        meta,
      });
      return { ...submission, ...changes, version: submission.version + 1 };
    });
  }

  /**
   * Submits within the window: every firm indicator valid, the platform's dispute indicators
   * computed for the cycle period, the score stored with the scorecard fingerprint.
   */
  async submit(
    actor: Actor,
    cycleId: string,
    meta?: Partial<RequestMeta>,
  ): Promise<RatingSubmission> {
    const firmId = await this.checkFirmAdmin(actor);
    const cycle = await this.cycles.getForFirm(cycleId);
    // Read before the transaction: the statistics service reads through its own connection.
    const counts = await this.counts(firmId, cycle);
    return this.tx.run(async (manager) => {
      const current = await this.cycles.get(cycleId, manager);
      const today = beijingDate(new Date());
      if (current.state !== 'open') throw new RatingsError('CYCLE_NOT_OPEN');
      if (today < current.opensOn) throw new RatingsError('WINDOW_NOT_OPEN');
      if (today > current.closesOn) throw new RatingsError('WINDOW_CLOSED');
      const { row, definition } = await this.scorecardOf(current, manager);
      const submission = await manager.findOneBy(RatingSubmission, { cycleId, firmId });
      const firmValues = submission ? parseValues(submission.firmValues) : {};
      const problems = valueProblems(definition, firmValues, true);
      if (problems.length > 0 || !submission)
        throw new RatingsError('VALUES_INVALID', { problems });
      if (!EDITABLE.includes(submission.state)) throw new RatingsError('SUBMISSION_LOCKED');
      const platform = platformValues(definition, counts, firmValues);
      const result = score(definition, { ...firmValues, ...platform });
      return this.history.transition(manager, actor, submission, 'submit', {
        party: 'firm',
        changes: {
          platformValues: JSON.stringify(platform),
          scoreHundredths: result.scoreHundredths,
          computedGrade: result.grade,
          scorecardFingerprint: row.fingerprint,
          submittedAt: new Date(),
        },
        detail: { scoreHundredths: result.scoreHundredths, computedGrade: result.grade, platform },
        meta,
      });
    });
  }

  /** A submission the actor may see (their firm's, or any for staff); else 404. */
  async findVisible(
    actor: Actor,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<RatingSubmission> {
    const submission = await manager.findOneBy(RatingSubmission, { id });
    if (!submission || ratingPartyOf(actor, submission.firmId) === null)
      throw new RatingsError('SUBMISSION_NOT_FOUND');
    return submission;
  }

  async listDocuments(actor: Actor, id: string): Promise<RatingDocument[]> {
    const submission = await this.findVisible(actor, id);
    return this.documents.list(this.dataSource.manager, submission.id);
  }

  async documentContent(
    actor: Actor,
    id: string,
    docId: string,
  ): Promise<{ document: RatingDocument; bytes: Buffer; downloadName: string }> {
    const submission = await this.findVisible(actor, id);
    return this.documents.content(this.dataSource.manager, submission.id, docId);
  }

  uploadDocument(
    actor: Actor,
    id: string,
    file: UploadedFileData | undefined,
    meta?: Partial<RequestMeta>,
  ): Promise<RatingDocument> {
    return this.tx.run(async (manager) => {
      const submission = await this.editableSubmission(manager, actor, id);
      const doc = await this.documents.store(manager, actor, submission, file);
      await this.history.record(manager, {
        submission,
        actor,
        action: 'document_uploaded',
        detail: { documentId: doc.id, fileName: doc.fileName, sha256: doc.sha256 },
        meta,
      });
      return doc;
    });
  }

  removeDocument(
    actor: Actor,
    id: string,
    docId: string,
    meta?: Partial<RequestMeta>,
  ): Promise<void> {
    return this.tx.run(async (manager) => {
      const submission = await this.editableSubmission(manager, actor, id);
      const doc = await this.documents.remove(manager, submission.id, docId);
      await this.history.record(manager, {
        submission,
        actor,
        action: 'document_removed',
        detail: { documentId: doc.id, fileName: doc.fileName },
        meta,
      });
    });
  }

  private async editableSubmission(
    manager: EntityManager,
    actor: Actor,
    id: string,
  ): Promise<RatingSubmission> {
    const submission = await this.findVisible(actor, id, manager);
    if (actor.role !== 'firm_admin') throw new CommonError('FORBIDDEN');
    if (!EDITABLE.includes(submission.state)) throw new RatingsError('SUBMISSION_LOCKED');
    const cycle = await this.cycles.get(submission.cycleId, manager);
    if (cycle.state !== 'open') throw new RatingsError('CYCLE_NOT_OPEN');
    if (beijingDate(new Date()) > cycle.closesOn) throw new RatingsError('WINDOW_CLOSED');
    return submission;
  }

  private async counts(firmId: string, cycle: RatingCycle): Promise<DisputeCounts> {
    const stats = await this.statistics.forFirm(firmId, {
      from: cycle.periodFrom,
      to: cycle.periodTo,
    });
    return { filed: stats.filed, accepted: stats.accepted, resolved: stats.resolved };
  }

  private firmOf(actor: Actor): string {
    if ((actor.role !== 'firm_admin' && actor.role !== 'firm_member') || !actor.firmId)
      throw new CommonError('FORBIDDEN');
    return actor.firmId;
  }

  /** The firm admin's firm, which must be an active member. */
  private async checkFirmAdmin(actor: Actor): Promise<string> {
    const firmId = this.firmOf(actor);
    if (actor.role !== 'firm_admin') throw new CommonError('FORBIDDEN');
    const firm = await this.firms.findById(firmId);
    if (firm?.status !== 'active') throw new RatingsError('FIRM_NOT_RATEABLE');
    return firmId;
  }

  private async editableCycle(manager: EntityManager, cycleId: string): Promise<RatingCycle> {
    const cycle = await this.cycles.get(cycleId, manager);
    if (cycle.state === 'draft') throw new RatingsError('CYCLE_NOT_FOUND');
    if (cycle.state !== 'open') throw new RatingsError('CYCLE_NOT_OPEN');
    if (beijingDate(new Date()) > cycle.closesOn) throw new RatingsError('WINDOW_CLOSED');
    return cycle;
  }

  private async start(
    manager: EntityManager,
    cycle: RatingCycle,
    firmId: string,
  ): Promise<RatingSubmission> {
    const now = new Date();
    const row: RatingSubmission = {
      id: randomUUID(),
      cycleId: cycle.id,
      firmId,
      state: 'draft',
      firmValues: '{}',
      platformValues: '{}',
      scoreHundredths: null,
      computedGrade: null,
      scorecardFingerprint: null,
      proposedGrade: null,
      proposedBy: null,
      proposedAt: null,
      rationale: null,
      confirmedBy: null,
      confirmedAt: null,
      returnComment: null,
      submittedAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await manager.insert(RatingSubmission, row);
    return row;
  }
}

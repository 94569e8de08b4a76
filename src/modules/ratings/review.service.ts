import { FirmsService } from '../membership/firms.service.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { TransactionService } from '../../database/transaction.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { ConflictsService, assertStaff } from './conflicts.service.js';
import { RatingCycle } from './entities/rating-cycle.entity.js';
import { RatingDocument } from './entities/rating-document.entity.js';
import { RatingReviewEvent } from './entities/rating-review-event.entity.js';
import { RatingSubmission } from './entities/rating-submission.entity.js';
import { ScorecardVersion } from './entities/scorecard-version.entity.js';
import { isGrade, type Grade } from './grades.js';
import { RatingsError } from './ratings.errors.js';
import { ReviewHistoryService } from './review-history.service.js';
import {
  formatScore,
  score,
  valueLabels,
  type ScorecardDefinition,
  type ScoreLine,
} from './scorecard.js';
import {
  availableSubmissionActions,
  type SubmissionAction,
  type SubmissionState,
} from './submission.state.js';
import { CommonError } from '../../common/errors/domain-error.js';

export const REVIEW_TEXT_MAX = 5000;

/** A message to a firm's administrators: in-app notice and e-mail in each one's language. */
export interface FirmMessage {
  kind: string;
  template: string;
  titleZh: string;
  titleEn: string;
  link: string;
  context: Record<string, unknown>;
}

export async function notifyFirmAdmins(
  manager: EntityManager,
  deps: { users: UsersService; notifications: NotificationsService },
  firmId: string,
  message: FirmMessage,
): Promise<void> {
  for (const admin of await deps.users.firmAdmins(manager, firmId)) {
    await deps.notifications.notify(manager, {
      userId: admin.id,
      kind: message.kind,
      titleZh: message.titleZh,
      titleEn: message.titleEn,
      link: message.link,
    });
    await deps.notifications.queueEmail(manager, {
      to: admin.email,
      template: message.template,
      locale: admin.locale,
      context: { name: admin.name, link: message.link, ...message.context },
    });
  }
}

export interface QueueItem {
  id: string;
  firmId: string;
  firmName: string;
  cycleId: string;
  cycleNameZh: string;
  cycleNameEn: string;
  state: SubmissionState;
  score: string | null;
  computedGrade: Grade | null;
  proposedGrade: Grade | null;
  proposedBy: string | null;
  /** The viewer proposed it: someone else must confirm. */
  proposedByViewer: boolean;
  submittedAt: string | null;
  version: number;
}

export interface HistoryItem {
  action: string;
  fromState: string | null;
  toState: string | null;
  grade: string | null;
  comment: string | null;
  actorUserId: string | null;
  actorName: string | null;
  at: string;
}

export interface ReviewView extends QueueItem {
  creditCode: string;
  scorecardVersion: number;
  scorecardFingerprint: string | null;
  periodFrom: string;
  periodTo: string;
  /** The per-indicator breakdown from score(); null when the values are incomplete. */
  breakdown: Array<
    ScoreLine & { weighted: string; unit: string | null; valueZh: string; valueEn: string }
  > | null;
  rationale: string | null;
  returnComment: string | null;
  confirmedBy: string | null;
  documents: Array<{ id: string; fileName: string; sizeBytes: number; uploadedAt: string }>;
  history: HistoryItem[];
  /** What the viewer may do now (four eyes and conflicts applied). */
  actions: SubmissionAction[];
}

const parseValues = (json: string): Record<string, string> => {
  try {
    const parsed = JSON.parse(json) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
};

/** The per-indicator breakdown from score(), or null when the values are incomplete. */
function breakdownOf(
  definition: ScorecardDefinition,
  submission: RatingSubmission,
): ReviewView['breakdown'] {
  try {
    const result = score(definition, {
      ...parseValues(submission.firmValues),
      ...parseValues(submission.platformValues),
    });
    return result.lines.map((line) => {
      const indicator = definition.indicators.find((i) => i.key === line.key);
      const labels = indicator
        ? valueLabels(indicator, line.value)
        : { zh: line.value, en: line.value };
      return {
        ...line,
        weighted: formatScore(line.weightedHundredths),
        unit: indicator?.unit ?? null,
        valueZh: labels.zh,
        valueEn: labels.en,
      };
    });
  } catch {
    return null;
  }
}

export async function loadDefinition(
  manager: EntityManager,
  cycle: RatingCycle,
): Promise<{ version: ScorecardVersion; definition: ScorecardDefinition }> {
  const version = await manager.findOneByOrFail(ScorecardVersion, { id: cycle.scorecardId });
  return { version, definition: JSON.parse(version.definition) as ScorecardDefinition };
}

/**
 * The four-eyes review: a reviewer reads the submission with its per-indicator breakdown,
 * returns it to the firm for correction or proposes a grade (with a written rationale when it
 * differs from the computed one); a different reviewer confirms it or sends it back.
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly tx: TransactionService,
    private readonly history: ReviewHistoryService,
    private readonly conflicts: ConflictsService,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
    private readonly firms: FirmsService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Submissions awaiting a proposal or a confirmation, without those the viewer is linked to. */
  async queue(actor: Actor, cycleId?: string | null): Promise<QueueItem[]> {
    assertStaff(actor);
    const manager = this.db.manager;
    const rows = await manager.find(RatingSubmission, {
      where: {
        state: In(['submitted', 'proposed', 'confirmed']),
        ...(cycleId ? { cycleId } : {}),
      },
      order: { submittedAt: 'ASC', id: 'ASC' },
    });
    const barred = await this.conflicts.firmsOf(manager, actor.id);
    return this.items(
      manager,
      actor,
      rows.filter((r) => !barred.has(r.firmId)),
    );
  }

  async view(actor: Actor, id: string): Promise<ReviewView> {
    assertStaff(actor);
    return this.viewIn(this.db.manager, actor, id);
  }

  async viewIn(manager: EntityManager, actor: Actor, id: string): Promise<ReviewView> {
    const submission = await this.load(manager, actor, id);
    const [item] = await this.items(manager, actor, [submission]);
    const cycle = await manager.findOneByOrFail(RatingCycle, { id: submission.cycleId });
    const [firm] = await this.firms.byIds(manager, [submission.firmId]);
    const { version, definition } = await loadDefinition(manager, cycle);
    const breakdown = breakdownOf(definition, submission);
    const documents = await manager.find(RatingDocument, {
      where: { submissionId: id, appealId: IsNull(), removedAt: IsNull() },
      order: { uploadedAt: 'ASC', id: 'ASC' },
    });
    const conflicted = await this.conflicts.isConflicted(manager, actor.id, submission.firmId);
    const party =
      actor.role === 'staff_admin' ? (['reviewer', 'admin'] as const) : (['reviewer'] as const);
    const actions = conflicted
      ? []
      : [...new Set(party.flatMap((p) => availableSubmissionActions(submission.state, p)))].filter(
          (a) => !(a === 'confirm' && submission.proposedBy === actor.id),
        );
    return {
      ...item,
      creditCode: firm.creditCode,
      scorecardVersion: version.number,
      scorecardFingerprint: submission.scorecardFingerprint,
      periodFrom: cycle.periodFrom,
      periodTo: cycle.periodTo,
      breakdown,
      rationale: submission.rationale,
      returnComment: submission.returnComment,
      confirmedBy: submission.confirmedBy,
      documents: documents.map((d) => ({
        id: d.id,
        fileName: d.fileName,
        sizeBytes: d.sizeBytes,
        uploadedAt: d.uploadedAt.toISOString(),
      })),
      history: await historyOf(manager, this.users, id),
      actions,
    };
  }

  returnForCorrection(
    actor: Actor,
    id: string,
    input: { comment: string; expectedVersion?: number },
    meta: Partial<RequestMeta> = {},
  ): Promise<ReviewView> {
    return this.act(actor, id, input.expectedVersion, async (manager, submission) => {
      const comment = input.comment?.trim() ?? '';
      await this.history.transition(manager, actor, submission, 'return', {
        party: 'reviewer',
        comment,
        changes: { returnComment: comment === '' ? null : comment.slice(0, REVIEW_TEXT_MAX) },
        meta,
      });
      const cycle = await manager.findOneByOrFail(RatingCycle, { id: submission.cycleId });
      await notifyFirmAdmins(
        manager,
        { users: this.users, notifications: this.notifications },
        submission.firmId,
        {
          kind: 'ratings.returned',
          template: 'rating-review-returned',
          titleZh: `${cycle.nameZh}：评级申报已退回更正`,
          titleEn: `${cycle.nameEn}: your rating submission was returned for correction`,
          link: `/firm/ratings/cycles/${cycle.id}`,
          context: { cycleNameZh: cycle.nameZh, cycleNameEn: cycle.nameEn, comment },
        },
      );
    });
  }

  propose(
    actor: Actor,
    id: string,
    input: { grade: string; rationale?: string | null; expectedVersion?: number },
    meta: Partial<RequestMeta> = {},
  ): Promise<ReviewView> {
    return this.act(actor, id, input.expectedVersion, async (manager, submission) => {
      const grade = input.grade?.trim() ?? '';
      if (!isGrade(grade)) throw new RatingsError('GRADE_INVALID');
      const rationale = input.rationale?.trim().slice(0, REVIEW_TEXT_MAX) ?? '';
      if (grade !== submission.computedGrade && rationale === '')
        throw new RatingsError('RATIONALE_REQUIRED');
      await this.history.transition(manager, actor, submission, 'propose', {
        party: 'reviewer',
        grade,
        comment: rationale,
        changes: {
          proposedGrade: grade,
          proposedBy: actor.id,
          proposedAt: new Date(),
          rationale: rationale === '' ? null : rationale,
          confirmedBy: null,
          confirmedAt: null,
        },
        detail: { computedGrade: submission.computedGrade },
        meta,
      });
    });
  }

  confirm(
    actor: Actor,
    id: string,
    input: { expectedVersion?: number },
    meta: Partial<RequestMeta> = {},
  ): Promise<ReviewView> {
    return this.act(actor, id, input.expectedVersion, async (manager, submission) => {
      if (submission.state === 'proposed' && submission.proposedBy === actor.id)
        throw new RatingsError('SAME_REVIEWER');
      await this.history.transition(manager, actor, submission, 'confirm', {
        party: 'reviewer',
        grade: submission.proposedGrade,
        changes: { confirmedBy: actor.id, confirmedAt: new Date() },
        meta,
      });
    });
  }

  sendBack(
    actor: Actor,
    id: string,
    input: { comment: string; expectedVersion?: number },
    meta: Partial<RequestMeta> = {},
  ): Promise<ReviewView> {
    return this.act(actor, id, input.expectedVersion, async (manager, submission) => {
      // The second pair of eyes answers the proposal, either way: not its author.
      if (submission.state === 'proposed' && submission.proposedBy === actor.id)
        throw new RatingsError('SAME_REVIEWER');
      await this.history.transition(manager, actor, submission, 'send_back', {
        party: 'reviewer',
        comment: input.comment,
        changes: { proposedGrade: null, proposedBy: null, proposedAt: null, rationale: null },
        meta,
      });
    });
  }

  /**
   * A staff reader's submission (conflicts refused), for a step: drafts are the firm's own
   * business and read as not found.
   */
  async load(manager: EntityManager, actor: Actor, id: string): Promise<RatingSubmission> {
    assertStaff(actor);
    const submission = await manager.findOneBy(RatingSubmission, { id });
    if (!submission || submission.state === 'draft') throw new RatingsError('SUBMISSION_NOT_FOUND');
    await this.conflicts.assertFree(manager, actor, submission.firmId);
    return submission;
  }

  private async act(
    actor: Actor,
    id: string,
    expectedVersion: number | undefined,
    work: (manager: EntityManager, submission: RatingSubmission) => Promise<void>,
  ): Promise<ReviewView> {
    return this.tx.run(async (manager) => {
      const submission = await this.load(manager, actor, id);
      if (expectedVersion !== undefined && expectedVersion !== submission.version)
        throw new CommonError('CONFLICT');
      await work(manager, submission);
      return this.viewIn(manager, actor, id);
    });
  }

  private async items(
    manager: EntityManager,
    actor: Actor,
    rows: RatingSubmission[],
  ): Promise<QueueItem[]> {
    const firmIds = [...new Set(rows.map((r) => r.firmId))];
    const cycleIds = [...new Set(rows.map((r) => r.cycleId))];
    const firms = await this.firms.byIds(manager, firmIds);
    const cycles = cycleIds.length ? await manager.findBy(RatingCycle, { id: In(cycleIds) }) : [];
    const firmName = new Map(firms.map((f) => [f.id, f.name]));
    const cycleOf = new Map(cycles.map((c) => [c.id, c]));
    return rows.map((r) => ({
      id: r.id,
      firmId: r.firmId,
      firmName: firmName.get(r.firmId) ?? '',
      cycleId: r.cycleId,
      cycleNameZh: cycleOf.get(r.cycleId)?.nameZh ?? '',
      cycleNameEn: cycleOf.get(r.cycleId)?.nameEn ?? '',
      state: r.state,
      score: r.scoreHundredths === null ? null : formatScore(r.scoreHundredths),
      computedGrade: r.computedGrade,
      proposedGrade: r.proposedGrade,
      proposedBy: r.proposedBy,
      proposedByViewer: r.proposedBy === actor.id,
      submittedAt: r.submittedAt?.toISOString() ?? null,
      version: r.version,
    }));
  }
}

/** A submission's history, oldest first, with the actors' names. */
export async function historyOf(
  manager: EntityManager,
  users: UsersService,
  submissionId: string,
): Promise<HistoryItem[]> {
  const rows = await manager.find(RatingReviewEvent, {
    where: { submissionId },
    order: { at: 'ASC', id: 'ASC' },
  });
  const ids = [...new Set(rows.map((r) => r.actorUserId).filter((v): v is string => !!v))];
  const names = new Map((await users.byIds(manager, ids)).map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    action: r.action,
    fromState: r.fromState,
    toState: r.toState,
    grade: r.grade,
    comment: r.comment,
    actorUserId: r.actorUserId,
    actorName: r.actorUserId ? (names.get(r.actorUserId) ?? null) : null,
    at: r.at.toISOString(),
  }));
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { RatingReviewEvent } from './entities/rating-review-event.entity.js';
import { RatingSubmission } from './entities/rating-submission.entity.js';
import { RatingsError } from './ratings.errors.js';
import {
  checkSubmissionTransition,
  type RatingParty,
  type HistoryAction,
  type SubmissionAction,
} from './submission.state.js';
import { CommonError } from '../../common/errors/domain-error.js';

export interface HistoryInput {
  submission: Pick<RatingSubmission, 'id' | 'firmId' | 'cycleId'>;
  actor: Pick<Actor, 'id' | 'role'> | null;
  action: HistoryAction;
  fromState?: string | null;
  toState?: string | null;
  grade?: string | null;
  comment?: string | null;
  detail?: Record<string, unknown>;
  meta?: Partial<RequestMeta>;
  at?: Date;
}

/**
 * The submission's history and the audit chain, written together in the caller's transaction;
 * and the one `transition()` by which a submission changes state (table check, version check
 * → 409, history).
 */
@Injectable()
export class ReviewHistoryService {
  constructor(private readonly audit: AuditService) {}

  async record(manager: EntityManager, input: HistoryInput): Promise<RatingReviewEvent> {
    const at = input.at ?? new Date();
    const event = await this.audit.record(manager, {
      actor: input.actor,
      action: `ratings.${input.action}`,
      subjectType: 'rating_submission',
      subjectId: input.submission.id,
      summary: {
        firmId: input.submission.firmId,
        cycleId: input.submission.cycleId,
        from: input.fromState ?? null,
        to: input.toState ?? null,
        grade: input.grade ?? null,
        comment: input.comment ?? null,
        ...input.detail,
      },
      meta: input.meta,
    });
    const row: RatingReviewEvent = {
      id: randomUUID(),
      submissionId: input.submission.id,
      firmId: input.submission.firmId,
      actorUserId: input.actor?.id ?? null,
      action: input.action,
      fromState: input.fromState ?? null,
      toState: input.toState ?? null,
      grade: input.grade ?? null,
      comment: input.comment ?? null,
      at,
      auditEventId: event.id,
    };
    await manager.insert(RatingReviewEvent, row);
    return row;
  }

  async transition(
    manager: EntityManager,
    actor: Pick<Actor, 'id' | 'role'> | null,
    submission: RatingSubmission,
    action: SubmissionAction,
    options: {
      party: RatingParty;
      comment?: string | null;
      grade?: string | null;
      changes?: Partial<Omit<RatingSubmission, 'id' | 'version' | 'state'>>;
      detail?: Record<string, unknown>;
      meta?: Partial<RequestMeta>;
      at?: Date;
    },
  ): Promise<RatingSubmission> {
    const check = checkSubmissionTransition(submission.state, action, options.party);
    if (!check.ok) {
      if (check.reason === 'ROLE_NOT_ALLOWED') throw new CommonError('FORBIDDEN');
      throw new RatingsError('TRANSITION_NOT_ALLOWED', { state: submission.state, action });
    }
    const comment = options.comment?.trim() ?? '';
    if (check.needsComment && comment === '') throw new RatingsError('COMMENT_REQUIRED');
    const at = options.at ?? new Date();
    const changes: Partial<RatingSubmission> = {
      ...options.changes,
      state: check.to,
      updatedAt: at,
    };
    await updateVersioned(manager, RatingSubmission, submission.id, submission.version, changes);
    await this.record(manager, {
      submission,
      actor,
      action,
      fromState: submission.state,
      toState: check.to,
      grade: options.grade ?? null,
      comment: comment === '' ? null : comment.slice(0, 5000),
      detail: options.detail,
      meta: options.meta,
      at,
    });
    return { ...submission, ...changes, version: submission.version + 1 };
  }

  /** Everyone who took a review step on the submission (appeal independence). */
  async reviewersOf(manager: EntityManager, submissionId: string): Promise<Set<string>> {
    const rows = await manager.find(RatingReviewEvent, {
      where: { submissionId },
      select: { actorUserId: true, action: true },
    });
    const steps = new Set(['return', 'propose', 'send_back', 'confirm', 'publish']);
    return new Set(
      rows.filter((r) => steps.has(r.action) && r.actorUserId).map((r) => r.actorUserId as string),
    );
  }
}

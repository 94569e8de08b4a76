import { FirmsService } from '../membership/firms.service.js';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { addDays, beijingDate } from '../../common/time/beijing.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { FileStore, type StoredFile } from '../files/file-store.service.js';
import { FilesError } from '../files/files.errors.js';
import { cleanFileName, type UploadedFileData } from '../files/uploaded-file.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { ConflictsService, assertStaff } from './conflicts.service.js';
import { FirmRating } from './entities/firm-rating.entity.js';
import { RatingAppeal } from './entities/rating-appeal.entity.js';
import { RatingDocument } from './entities/rating-document.entity.js';
import { RatingSubmission } from './entities/rating-submission.entity.js';
import { isGrade, type Grade } from './grades.js';
import { ratingPartyOf } from './rating-party.js';
import { RatingsError } from './ratings.errors.js';
import { ReviewHistoryService } from './review-history.service.js';
import { REVIEW_TEXT_MAX, notifyFirmAdmins } from './review.service.js';
import type { AppealState } from './submission.state.js';

export interface AppealView {
  id: string;
  ratingId: string;
  firmId: string;
  firmName: string;
  submissionId: string;
  grade: Grade;
  reasons: string;
  filedBy: string;
  filedAt: string;
  state: AppealState;
  decidedBy: string | null;
  decidedAt: string | null;
  outcomeGrade: Grade | null;
  rationale: string | null;
  /** The rating that replaced the appealed one when the grade was changed. */
  newRatingId: string | null;
  documents: Array<{ id: string; fileName: string; sizeBytes: number; uploadedAt: string }>;
  version: number;
}

export interface AppealWindow {
  ratingId: string;
  /** Last day (Beijing) an appeal may be filed. */
  lastDay: string;
  open: boolean;
  appealId: string | null;
}

/**
 * Appeals: within RATING_APPEAL_DAYS calendar days of publication the firm's administrator may
 * appeal its current rating once, with reasons and documents; the rating stays published, marked
 * as under appeal. A reviewer who took no part in the original decision and has no declared link
 * with the firm decides: upheld (the rating stays) or changed (a new current record replaces it;
 * both stay in the history).
 */
@Injectable()
export class AppealsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly history: ReviewHistoryService,
    private readonly conflicts: ConflictsService,
    private readonly files: FileStore,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
    private readonly firms: FirmsService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
  ) {}

  /** Last day (Beijing) to appeal a rating published at `publishedAt`. */
  lastDay(publishedAt: Date): string {
    return addDays(beijingDate(publishedAt), this.config.RATING_APPEAL_DAYS);
  }

  /** The appeal window of a firm's rating, as the firm sees it (404 for others). */
  async window(actor: Actor, ratingId: string, now = new Date()): Promise<AppealWindow> {
    const manager = this.db.manager;
    const rating = await this.visibleRating(manager, actor, ratingId);
    const appeal = await manager.findOneBy(RatingAppeal, { ratingId });
    const lastDay = this.lastDay(rating.publishedAt);
    return {
      ratingId,
      lastDay,
      open: rating.status === 'current' && !appeal && beijingDate(now) <= lastDay,
      appealId: appeal?.id ?? null,
    };
  }

  file(
    actor: Actor,
    ratingId: string,
    input: { reasons: string },
    documents: UploadedFileData[] = [],
    meta: Partial<RequestMeta> = {},
  ): Promise<AppealView> {
    return this.fileAt(actor, ratingId, input, documents, meta, new Date());
  }

  async fileAt(
    actor: Actor,
    ratingId: string,
    input: { reasons: string },
    documents: UploadedFileData[],
    meta: Partial<RequestMeta>,
    now: Date,
  ): Promise<AppealView> {
    const reasons = input.reasons?.trim() ?? '';
    const stored: Array<{ file: UploadedFileData; data: StoredFile }> = [];
    for (const file of documents.filter((f) => f.size > 0))
      stored.push({ file, data: await this.files.put(file.buffer) });
    return this.tx.run(async (manager) => {
      const rating = await this.visibleRating(manager, actor, ratingId);
      if (actor.role !== 'firm_admin') throw new CommonError('FORBIDDEN');
      if (rating.status !== 'current') throw new RatingsError('RATING_NOT_CURRENT');
      if (await manager.existsBy(RatingAppeal, { ratingId }))
        throw new RatingsError('APPEAL_EXISTS');
      if (beijingDate(now) > this.lastDay(rating.publishedAt))
        throw new RatingsError('APPEAL_WINDOW_CLOSED');
      if (reasons === '') throw new RatingsError('COMMENT_REQUIRED');
      const appeal: RatingAppeal = {
        id: randomUUID(),
        ratingId,
        firmId: rating.firmId,
        submissionId: rating.submissionId,
        reasons: reasons.slice(0, REVIEW_TEXT_MAX),
        filedBy: actor.id,
        filedAt: now,
        state: 'pending',
        decidedBy: null,
        decidedAt: null,
        outcomeGrade: null,
        rationale: null,
        version: 1,
      };
      try {
        await manager.insert(RatingAppeal, appeal);
      } catch {
        throw new RatingsError('APPEAL_EXISTS');
      }
      for (const { file, data } of stored)
        await manager.insert(RatingDocument, {
          id: randomUUID(),
          firmId: rating.firmId,
          submissionId: rating.submissionId,
          appealId: appeal.id,
          fileName: cleanFileName(file.originalname, `appeal.${data.extension}`),
          contentType: data.contentType,
          sizeBytes: data.size,
          sha256: data.sha256,
          uploadedBy: actor.id,
          uploadedAt: now,
          removedAt: null,
        });
      await updateVersioned(manager, FirmRating, rating.id, rating.version, {
        underAppealSince: now,
      });
      await this.history.record(manager, {
        submission: this.submissionOf(rating),
        actor,
        action: 'appeal_filed',
        grade: rating.grade,
        comment: appeal.reasons,
        detail: { appealId: appeal.id, ratingId, documents: stored.length },
        meta,
        at: now,
      });
      return this.viewIn(manager, appeal.id);
    });
  }

  /** Adds a document to a pending appeal (the firm's administrator). */
  async addDocument(
    actor: Actor,
    appealId: string,
    file: UploadedFileData | undefined,
    meta: Partial<RequestMeta> = {},
  ): Promise<AppealView> {
    if (!file || file.size === 0) throw new FilesError('FILE_MISSING');
    const data = await this.files.put(file.buffer);
    return this.tx.run(async (manager) => {
      const appeal = await this.visibleAppeal(manager, actor, appealId);
      if (actor.role !== 'firm_admin') throw new CommonError('FORBIDDEN');
      if (appeal.state !== 'pending') throw new RatingsError('APPEAL_DECIDED');
      const doc: RatingDocument = {
        id: randomUUID(),
        firmId: appeal.firmId,
        submissionId: appeal.submissionId,
        appealId,
        fileName: cleanFileName(file.originalname, `appeal.${data.extension}`),
        contentType: data.contentType,
        sizeBytes: data.size,
        sha256: data.sha256,
        uploadedBy: actor.id,
        uploadedAt: new Date(),
        removedAt: null,
      };
      await manager.insert(RatingDocument, doc);
      await this.history.record(manager, {
        submission: this.submissionOf(
          await manager.findOneByOrFail(FirmRating, { id: appeal.ratingId }),
        ),
        actor,
        action: 'appeal_document',
        detail: { appealId, documentId: doc.id, sha256: doc.sha256 },
        meta,
      });
      return this.viewIn(manager, appealId);
    });
  }

  /** An appeal document's bytes, for the firm and staff (404 for other firms). */
  async documentContent(
    actor: Actor,
    appealId: string,
    docId: string,
  ): Promise<{ document: RatingDocument; bytes: Buffer }> {
    await this.visibleAppeal(this.db.manager, actor, appealId);
    const document = await this.db.manager.findOneBy(RatingDocument, {
      id: docId,
      appealId,
      removedAt: IsNull(),
    });
    if (!document) throw new RatingsError('DOCUMENT_NOT_FOUND');
    return { document, bytes: await this.files.read(document.sha256) };
  }

  async get(actor: Actor, appealId: string): Promise<AppealView> {
    const manager = this.db.manager;
    await this.visibleAppeal(manager, actor, appealId);
    return this.viewIn(manager, appealId);
  }

  /** Pending appeals for staff, without those of firms the viewer is linked to. */
  async pending(actor: Actor): Promise<AppealView[]> {
    assertStaff(actor);
    const manager = this.db.manager;
    const rows = await manager.find(RatingAppeal, {
      where: { state: 'pending' },
      order: { filedAt: 'ASC', id: 'ASC' },
    });
    const barred = await this.conflicts.firmsOf(manager, actor.id);
    const views: AppealView[] = [];
    for (const row of rows.filter((r) => !barred.has(r.firmId)))
      views.push(await this.viewIn(manager, row.id));
    return views;
  }

  decide(
    actor: Actor,
    appealId: string,
    input: { outcome: string; grade?: string | null; rationale: string; expectedVersion?: number },
    meta: Partial<RequestMeta> = {},
  ): Promise<AppealView> {
    assertStaff(actor);
    return this.tx.run(async (manager) => {
      const appeal = await manager.findOneBy(RatingAppeal, { id: appealId });
      if (!appeal) throw new RatingsError('APPEAL_NOT_FOUND');
      await this.conflicts.assertFree(manager, actor, appeal.firmId);
      if ((await this.history.reviewersOf(manager, appeal.submissionId)).has(actor.id))
        throw new RatingsError('APPEAL_REVIEWER_NOT_INDEPENDENT');
      if (appeal.state !== 'pending') throw new RatingsError('APPEAL_DECIDED');
      if (input.expectedVersion !== undefined && input.expectedVersion !== appeal.version)
        throw new CommonError('CONFLICT');
      if (input.outcome !== 'upheld' && input.outcome !== 'changed')
        throw new CommonError('VALIDATION_FAILED');
      const rationale = input.rationale?.trim().slice(0, REVIEW_TEXT_MAX) ?? '';
      if (rationale === '') throw new RatingsError('RATIONALE_REQUIRED');
      const rating = await manager.findOneByOrFail(FirmRating, { id: appeal.ratingId });
      if (rating.status !== 'current') throw new RatingsError('RATING_NOT_CURRENT');
      const now = new Date();
      let outcomeGrade: Grade = rating.grade;
      let newRating: FirmRating | null = null;
      if (input.outcome === 'upheld') {
        await updateVersioned(manager, FirmRating, rating.id, rating.version, {
          underAppealSince: null,
        });
      } else {
        const grade = input.grade?.trim() ?? '';
        if (!isGrade(grade) || grade === rating.grade) throw new RatingsError('GRADE_INVALID');
        outcomeGrade = grade;
        await updateVersioned(manager, FirmRating, rating.id, rating.version, {
          status: 'changed',
          endedAt: now,
          endReason: 'appeal',
          underAppealSince: null,
        });
        newRating = {
          ...rating,
          id: randomUUID(),
          grade,
          effectiveOn: beijingDate(now),
          status: 'current',
          underAppealSince: null,
          replacesId: rating.id,
          publishedBy: actor.id,
          publishedAt: now,
          endedAt: null,
          endReason: null,
          version: 1,
        };
        await manager.insert(FirmRating, newRating);
        await this.events.emit(manager, 'ratings.changed', {
          firmId: rating.firmId,
          ratingId: rating.id,
        });
      }
      await updateVersioned(manager, RatingAppeal, appeal.id, appeal.version, {
        state: input.outcome,
        decidedBy: actor.id,
        decidedAt: now,
        outcomeGrade,
        rationale,
      });
      await this.history.record(manager, {
        submission: this.submissionOf(rating),
        actor,
        action: 'appeal_decided',
        grade: outcomeGrade,
        comment: rationale,
        detail: {
          appealId,
          outcome: input.outcome,
          ratingId: rating.id,
          newRatingId: newRating?.id ?? null,
        },
        meta,
        at: now,
      });
      const [firm] = await this.firms.byIds(manager, [appeal.firmId]);
      await notifyFirmAdmins(
        manager,
        { users: this.users, notifications: this.notifications },
        appeal.firmId,
        {
          kind: 'ratings.appeal_decided',
          template: 'rating-appeal-decided',
          titleZh:
            input.outcome === 'upheld'
              ? `评级申诉结果：维持 ${outcomeGrade}`
              : `评级申诉结果：变更为 ${outcomeGrade}`,
          titleEn:
            input.outcome === 'upheld'
              ? `Rating appeal decided: ${outcomeGrade} upheld`
              : `Rating appeal decided: grade changed to ${outcomeGrade}`,
          link: `/firm/ratings/ratings/${appeal.ratingId}/appeal`,
          context: {
            firmName: firm.name,
            upheld: input.outcome === 'upheld',
            previousGrade: rating.grade,
            grade: outcomeGrade,
            rationale,
          },
        },
      );
      return this.viewIn(manager, appealId);
    });
  }

  /** A rating the actor may see: a firm user only their own firm's (404 otherwise). */
  private async visibleRating(
    manager: EntityManager,
    actor: Actor,
    ratingId: string,
  ): Promise<FirmRating> {
    const rating = await manager.findOneBy(FirmRating, { id: ratingId });
    if (!rating || ratingPartyOf(actor, rating.firmId) === null)
      throw new RatingsError('RATING_NOT_FOUND');
    return rating;
  }

  private async visibleAppeal(
    manager: EntityManager,
    actor: Actor,
    appealId: string,
  ): Promise<RatingAppeal> {
    const appeal = await manager.findOneBy(RatingAppeal, { id: appealId });
    if (!appeal || ratingPartyOf(actor, appeal.firmId) === null)
      throw new RatingsError('APPEAL_NOT_FOUND');
    return appeal;
  }

  private submissionOf(rating: FirmRating): Pick<RatingSubmission, 'id' | 'firmId' | 'cycleId'> {
    return { id: rating.submissionId, firmId: rating.firmId, cycleId: rating.cycleId };
  }

  private async viewIn(manager: EntityManager, appealId: string): Promise<AppealView> {
    const appeal = await manager.findOneByOrFail(RatingAppeal, { id: appealId });
    const rating = await manager.findOneByOrFail(FirmRating, { id: appeal.ratingId });
    const [firm] = await this.firms.byIds(manager, [appeal.firmId]);
    const replacement = await manager.findOneBy(FirmRating, { replacesId: rating.id });
    const docs = await manager.find(RatingDocument, {
      where: { appealId, removedAt: IsNull() },
      order: { uploadedAt: 'ASC', id: 'ASC' },
    });
    return {
      id: appeal.id,
      ratingId: appeal.ratingId,
      firmId: appeal.firmId,
      firmName: firm.name,
      submissionId: appeal.submissionId,
      grade: rating.grade,
      reasons: appeal.reasons,
      filedBy: appeal.filedBy,
      filedAt: appeal.filedAt.toISOString(),
      state: appeal.state,
      decidedBy: appeal.decidedBy,
      decidedAt: appeal.decidedAt?.toISOString() ?? null,
      outcomeGrade: appeal.outcomeGrade,
      rationale: appeal.rationale,
      newRatingId: replacement?.id ?? null,
      documents: docs.map((d) => ({
        id: d.id,
        fileName: d.fileName,
        sizeBytes: d.sizeBytes,
        uploadedAt: d.uploadedAt.toISOString(),
      })),
      version: appeal.version,
    };
  }
}

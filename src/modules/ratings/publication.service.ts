import { FirmsService } from '../membership/firms.service.js';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { addDays, beijingDate } from '../../common/time/beijing.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { FirmRating } from './entities/firm-rating.entity.js';
import { RatingCycle } from './entities/rating-cycle.entity.js';
import type { Grade } from './grades.js';
import { ReviewHistoryService } from './review-history.service.js';
import { ReviewService, notifyFirmAdmins } from './review.service.js';

/** 'YYYY-MM-DD' plus whole months; a day past the month's end falls back to its last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The last day a rating effective on `effectiveOn` is valid: N months later, less one day. */
export function expiryFor(effectiveOn: string, months: number): string {
  return addDays(addMonths(effectiveOn, months), -1);
}

export const publicHistoryPath = (firmId: string): string => `/ratings/firms/${firmId}`;

export interface PublishedRating {
  id: string;
  firmId: string;
  grade: Grade;
  effectiveOn: string;
  expiresOn: string;
  supersededId: string | null;
}

/**
 * Publication: a staff admin publishes a confirmed grade. It becomes the firm's current rating,
 * effective today (Beijing) and valid RATING_VALIDITY_MONTHS; the firm's previous current rating
 * is superseded.
 */
@Injectable()
export class PublicationService {
  constructor(
    private readonly tx: TransactionService,
    private readonly history: ReviewHistoryService,
    private readonly review: ReviewService,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
    private readonly firms: FirmsService,
    private readonly config: AppConfig,
  ) {}

  publish(
    actor: Actor,
    submissionId: string,
    input: { expectedVersion?: number } = {},
    meta: Partial<RequestMeta> = {},
  ): Promise<PublishedRating> {
    return this.tx.run(async (manager) => {
      const submission = await this.review.load(manager, actor, submissionId);
      // One current rating per firm: publications for the same firm queue here (PostgreSQL;
      // SQLite transactions are serialised already), so the second sees the first's record.
      await this.tx.lock(manager, firmLockKey(submission.firmId));
      if (input.expectedVersion !== undefined && input.expectedVersion !== submission.version)
        throw new CommonError('CONFLICT');
      const now = new Date();
      const effectiveOn = beijingDate(now);
      const expiresOn = expiryFor(effectiveOn, this.config.RATING_VALIDITY_MONTHS);
      const grade = submission.proposedGrade as Grade;
      await this.history.transition(manager, actor, submission, 'publish', {
        party: actor.role === 'staff_admin' ? 'admin' : 'reviewer',
        grade,
        detail: { effectiveOn, expiresOn },
        meta,
        at: now,
      });
      const previous = await manager.findOneBy(FirmRating, {
        firmId: submission.firmId,
        status: 'current',
      });
      if (previous)
        await updateVersioned(manager, FirmRating, previous.id, previous.version, {
          status: 'superseded',
          endedAt: now,
          endReason: 'next_rating',
          underAppealSince: null,
        });
      const rating: FirmRating = {
        id: randomUUID(),
        firmId: submission.firmId,
        cycleId: submission.cycleId,
        submissionId: submission.id,
        grade,
        scoreHundredths: submission.scoreHundredths ?? 0,
        effectiveOn,
        expiresOn,
        status: 'current',
        underAppealSince: null,
        replacesId: null,
        publishedBy: actor.id,
        publishedAt: now,
        endedAt: null,
        endReason: null,
        version: 1,
      };
      await manager.insert(FirmRating, rating);
      await this.tellFirm(manager, rating);
      return {
        id: rating.id,
        firmId: rating.firmId,
        grade,
        effectiveOn,
        expiresOn,
        supersededId: previous?.id ?? null,
      };
    });
  }

  /** Tells the firm's administrators a grade was published (on review or after an appeal). */
  async tellFirm(manager: EntityManager, rating: FirmRating): Promise<void> {
    const cycle = await manager.findOneByOrFail(RatingCycle, { id: rating.cycleId });
    const [firm] = await this.firms.byIds(manager, [rating.firmId]);
    const appealUntil = addDays(beijingDate(rating.publishedAt), this.config.RATING_APPEAL_DAYS);
    await notifyFirmAdmins(
      manager,
      { users: this.users, notifications: this.notifications },
      rating.firmId,
      {
        kind: 'ratings.published',
        template: 'rating-published',
        titleZh: `${cycle.nameZh}：信用等级 ${rating.grade} 已发布`,
        titleEn: `${cycle.nameEn}: credit grade ${rating.grade} published`,
        link: '/firm/ratings',
        context: {
          firmName: firm.name,
          grade: rating.grade,
          cycleNameZh: cycle.nameZh,
          cycleNameEn: cycle.nameEn,
          effectiveOn: rating.effectiveOn,
          expiresOn: rating.expiresOn,
          appealUntil,
          publicPath: publicHistoryPath(rating.firmId),
        },
      },
    );
  }
}

/** A 31-bit advisory-lock key for a firm's ratings (collisions only make two firms queue). */
function firmLockKey(firmId: string): number {
  return 0x5a1f0000 ^ (Number.parseInt(firmId.replace(/-/g, '').slice(0, 7), 16) & 0xffff_fff);
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LessThan, type EntityManager } from 'typeorm';
import { DomainEvents } from '../../common/events/domain-events.js';
import { beijingDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { FirmRating } from './entities/firm-rating.entity.js';
import { ReviewHistoryService } from './review-history.service.js';
import { notifyFirmAdmins } from './review.service.js';
import { publicHistoryPath } from './publication.service.js';

export const RATINGS_EXPIRY_JOB = 'ratings.expiry';

/**
 * The end of a current rating other than by a new one or an appeal: expiry (daily job: a rating
 * whose last valid day was before today, Beijing; one expiring today is still current today), and
 * withdrawal when the firm is suspended or expelled (in the announcing transaction).
 */
@Injectable()
export class ExpiryService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionService,
    private readonly history: ReviewHistoryService,
    private readonly events: DomainEvents,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.events.on('membership.suspended', ({ firmId }, manager) =>
      this.withdraw(manager, firmId, 'membership.suspended'),
    );
    this.events.on('membership.expelled', ({ firmId }, manager) =>
      this.withdraw(manager, firmId, 'membership.expelled'),
    );
  }

  /** Marks expired every current rating whose expiresOn is before today; idempotent. */
  expire(now = new Date()): Promise<{ expired: number }> {
    const today = beijingDate(now);
    return this.tx.run(async (manager) => {
      const due = await manager.find(FirmRating, {
        where: { status: 'current', expiresOn: LessThan(today) },
        order: { expiresOn: 'ASC', id: 'ASC' },
      });
      for (const rating of due) await this.end(manager, rating, 'expired', 'expired', now);
      return { expired: due.length };
    });
  }

  /** The firm's current rating is withdrawn (suspension, expulsion). */
  async withdraw(manager: EntityManager, firmId: string, reason: string): Promise<void> {
    const now = new Date();
    const current = await manager.find(FirmRating, { where: { firmId, status: 'current' } });
    for (const rating of current) {
      await this.end(manager, rating, 'withdrawn', reason, now);
      await notifyFirmAdmins(
        manager,
        { users: this.users, notifications: this.notifications },
        firmId,
        {
          kind: 'ratings.withdrawn',
          template: 'rating-withdrawn',
          titleZh: `信用等级 ${rating.grade} 已撤销`,
          titleEn: `Credit grade ${rating.grade} withdrawn`,
          link: publicHistoryPath(firmId),
          context: { grade: rating.grade, suspended: reason === 'membership.suspended' },
        },
      );
    }
  }

  private async end(
    manager: EntityManager,
    rating: FirmRating,
    status: 'expired' | 'withdrawn',
    reason: string,
    now: Date,
  ): Promise<void> {
    await updateVersioned(manager, FirmRating, rating.id, rating.version, {
      status,
      endedAt: now,
      endReason: reason,
      underAppealSince: null,
    });
    await this.history.record(manager, {
      submission: { id: rating.submissionId, firmId: rating.firmId, cycleId: rating.cycleId },
      actor: null,
      action: status === 'expired' ? 'rating_expired' : 'rating_withdrawn',
      grade: rating.grade,
      detail: { ratingId: rating.id, reason, expiresOn: rating.expiresOn },
      at: now,
    });
    await this.events.emit(
      manager,
      status === 'expired' ? 'ratings.expired' : 'ratings.withdrawn',
      {
        firmId: rating.firmId,
        ratingId: rating.id,
      },
    );
  }
}

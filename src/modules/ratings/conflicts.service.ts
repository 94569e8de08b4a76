import { FirmsService } from '../membership/firms.service.js';
import { UsersService } from '../users/users.service.js';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isStaff } from '../../common/auth/roles.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { ReviewerConflict } from './entities/reviewer-conflict.entity.js';
import { RatingsError } from './ratings.errors.js';

export const CONFLICT_NOTE_MAX = 500;

export interface ConflictView {
  id: string;
  reviewerUserId: string;
  reviewerName: string;
  firmId: string;
  firmName: string;
  note: string;
  declaredBy: string;
  declaredAt: string;
}

/** Refuses anyone who is not staff (reviewer or admin). */
export function assertStaff(actor: Actor): void {
  if (!isStaff(actor.role)) throw new CommonError('FORBIDDEN');
}

/**
 * Reviewers' declared links to firms. A declared link bars the reviewer from every review step,
 * publication and appeal decision on that firm (REVIEWER_CONFLICT) and hides its submissions
 * from their queue. Reviewers manage their own; a staff admin may manage anyone's.
 */
@Injectable()
export class ConflictsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly firms: FirmsService,
    private readonly users: UsersService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async isConflicted(manager: EntityManager, reviewerId: string, firmId: string): Promise<boolean> {
    return manager.existsBy(ReviewerConflict, {
      reviewerUserId: reviewerId,
      firmId,
      removedAt: IsNull(),
    });
  }

  /** Throws REVIEWER_CONFLICT when the actor declared a link with the firm. */
  async assertFree(manager: EntityManager, actor: Actor, firmId: string): Promise<void> {
    if (await this.isConflicted(manager, actor.id, firmId))
      throw new RatingsError('REVIEWER_CONFLICT');
  }

  /** Firms the reviewer declared a link with. */
  async firmsOf(manager: EntityManager, reviewerId: string): Promise<Set<string>> {
    const rows = await manager.find(ReviewerConflict, {
      where: { reviewerUserId: reviewerId, removedAt: IsNull() },
      select: { firmId: true },
    });
    return new Set(rows.map((r) => r.firmId));
  }

  /** Firms a link can be declared with (current and former members), by name. */
  async firmChoices(): Promise<Array<{ id: string; name: string }>> {
    const rows = await this.firms.withStatus(this.db.manager, ['active', 'suspended']);
    return rows.map((f) => ({ id: f.id, name: f.name }));
  }

  /** Own declarations; a staff admin sees everyone's. */
  async list(actor: Actor): Promise<ConflictView[]> {
    assertStaff(actor);
    const rows = await this.db.getRepository(ReviewerConflict).find({
      where:
        actor.role === 'staff_admin'
          ? { removedAt: IsNull() }
          : { removedAt: IsNull(), reviewerUserId: actor.id },
      order: { declaredAt: 'DESC', id: 'ASC' },
    });
    return this.views(this.db.manager, rows);
  }

  async declare(
    actor: Actor,
    input: { firmId: string; note: string; reviewerUserId?: string | null },
    meta: Partial<RequestMeta> = {},
  ): Promise<ConflictView> {
    assertStaff(actor);
    const reviewerUserId = input.reviewerUserId?.trim() || actor.id;
    if (reviewerUserId !== actor.id && actor.role !== 'staff_admin')
      throw new CommonError('FORBIDDEN');
    const note = input.note.trim().slice(0, CONFLICT_NOTE_MAX);
    return this.tx.run(async (manager) => {
      if ((await this.firms.byIds(manager, [input.firmId])).length === 0)
        throw new CommonError('NOT_FOUND');
      const [reviewer] = await this.users.byIds(manager, [reviewerUserId]);
      if (!reviewer || !isStaff(reviewer.role)) throw new CommonError('NOT_FOUND');
      const existing = await manager.findOneBy(ReviewerConflict, {
        reviewerUserId,
        firmId: input.firmId,
        removedAt: IsNull(),
      });
      if (existing) return (await this.views(manager, [existing]))[0];
      const row: ReviewerConflict = {
        id: randomUUID(),
        reviewerUserId,
        firmId: input.firmId,
        note,
        declaredBy: actor.id,
        declaredAt: new Date(),
        removedAt: null,
      };
      await manager.insert(ReviewerConflict, row);
      await this.audit.record(manager, {
        actor,
        action: 'ratings.conflict_declared',
        subjectType: 'firm',
        subjectId: input.firmId,
        summary: { conflictId: row.id, reviewerUserId, note },
        meta,
      });
      return (await this.views(manager, [row]))[0];
    });
  }

  async remove(actor: Actor, id: string, meta: Partial<RequestMeta> = {}): Promise<void> {
    assertStaff(actor);
    await this.tx.run(async (manager) => {
      const row = await manager.findOneBy(ReviewerConflict, { id, removedAt: IsNull() });
      if (!row || (row.reviewerUserId !== actor.id && actor.role !== 'staff_admin'))
        throw new RatingsError('CONFLICT_NOT_FOUND');
      await manager.update(ReviewerConflict, { id }, { removedAt: new Date() });
      await this.audit.record(manager, {
        actor,
        action: 'ratings.conflict_removed',
        subjectType: 'firm',
        subjectId: row.firmId,
        summary: { conflictId: id, reviewerUserId: row.reviewerUserId },
        meta,
      });
    });
  }

  private async views(manager: EntityManager, rows: ReviewerConflict[]): Promise<ConflictView[]> {
    const firmIds = [...new Set(rows.map((r) => r.firmId))];
    const userIds = [...new Set(rows.map((r) => r.reviewerUserId))];
    const firms = await this.firms.byIds(manager, firmIds);
    const users = await this.users.byIds(manager, userIds);
    const firmName = new Map(firms.map((f) => [f.id, f.name]));
    const userName = new Map(users.map((u) => [u.id, u.name]));
    return rows.map((r) => ({
      id: r.id,
      reviewerUserId: r.reviewerUserId,
      reviewerName: userName.get(r.reviewerUserId) ?? '',
      firmId: r.firmId,
      firmName: firmName.get(r.firmId) ?? '',
      note: r.note,
      declaredBy: r.declaredBy,
      declaredAt: r.declaredAt.toISOString(),
    }));
  }
}

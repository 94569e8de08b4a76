import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isStaff } from '../../common/auth/roles.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { beijingDate, isCalendarDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { UsersService } from '../users/users.service.js';
import { affiliationConflicts, conflictsWithFirm } from './conflicts.js';
import { DisputesError } from './disputes.errors.js';
import type { CreateAffiliationDto } from './dto/mediator-affiliation.dto.js';
import type { CreateMediatorDto, UpdateMediatorDto } from './dto/mediator-profile.dto.js';
import { MediatorAffiliation } from './entities/mediator-affiliation.entity.js';
import { MediatorProfile } from './entities/mediator-profile.entity.js';

export interface AffiliationView {
  id: string;
  firmId: string;
  firmName: string | null;
  relation: string;
  endedOn: string | null;
  note: string | null;
  declaredAt: string;
  removedAt: string | null;
  conflicting: boolean;
}

export interface MediatorView {
  userId: string;
  name: string;
  languages: string[];
  specialities: string[];
  bio: string | null;
  status: MediatorProfile['status'];
  version: number;
  affiliations: AffiliationView[];
}

function jsonList(value: string): string[] {
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Mediator profiles and their declared affiliations, and the conflict check every assignment
 * path uses. Staff manage every profile; a mediator edits their own languages, specialities and
 * bio and declares their own ties.
 */
@Injectable()
export class MediatorsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly users: UsersService,
    private readonly firms: FirmsService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Does `mediatorUserId` have a standing tie with `firmId` on `today` (a Beijing date)? */
  async conflicts(
    manager: EntityManager,
    mediatorUserId: string,
    firmId: string | null,
    today: string = beijingDate(new Date()),
  ): Promise<boolean> {
    if (firmId === null) return false;
    const ties = await manager.findBy(MediatorAffiliation, { mediatorUserId, firmId });
    return conflictsWithFirm(ties, firmId, today);
  }

  /** Mediators with a standing tie with `firmId` today (for eligibility lists). */
  async conflictedWith(
    manager: EntityManager,
    firmId: string,
    today: string,
  ): Promise<Set<string>> {
    const ties = await manager.findBy(MediatorAffiliation, { firmId });
    return new Set(ties.filter((t) => affiliationConflicts(t, today)).map((t) => t.mediatorUserId));
  }

  /** A manager for reads outside a transaction (pages). */
  readManager(): EntityManager {
    return this.dataSource.manager;
  }

  profile(manager: EntityManager, userId: string): Promise<MediatorProfile | null> {
    return manager.findOneBy(MediatorProfile, { userId });
  }

  async list(): Promise<MediatorView[]> {
    return this.tx.run(async (manager) => {
      const profiles = await manager.find(MediatorProfile, { order: { createdAt: 'ASC' } });
      const out: MediatorView[] = [];
      for (const p of profiles) out.push(await this.view(manager, p));
      return out;
    });
  }

  async get(actor: Actor, userId: string): Promise<MediatorView> {
    this.assertMayRead(actor, userId);
    return this.tx.run(async (manager) => this.view(manager, await this.load(manager, userId)));
  }

  async create(actor: Actor, input: CreateMediatorDto, meta?: RequestMeta): Promise<MediatorView> {
    return this.tx.run(async (manager) => {
      const user = await this.users.findById(input.userId);
      if (!user || user.role !== 'mediator' || user.disabledAt !== null)
        throw new DisputesError('MEDIATOR_NOT_FOUND');
      if (await this.profile(manager, user.id)) throw new CommonError('CONFLICT');
      const now = new Date();
      const row: MediatorProfile = {
        userId: user.id,
        languages: JSON.stringify(unique(input.languages ?? ['zh'])),
        specialities: JSON.stringify(unique(input.specialities ?? [])),
        bio: input.bio?.trim() || null,
        status: input.status ?? 'active',
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await manager.insert(MediatorProfile, row);
      await this.record(
        manager,
        actor,
        'disputes.mediator_created',
        user.id,
        {
          status: row.status,
        },
        meta,
      );
      return this.view(manager, row);
    });
  }

  async update(
    actor: Actor,
    userId: string,
    input: UpdateMediatorDto & { expectedVersion?: number },
    meta?: RequestMeta,
  ): Promise<MediatorView> {
    this.assertMayRead(actor, userId);
    // Only staff take a mediator off (or back onto) the list of those offered cases.
    if (input.status !== undefined && !isStaff(actor.role)) throw new CommonError('FORBIDDEN');
    return this.tx.run(async (manager) => {
      const current = await this.load(manager, userId);
      const version = input.expectedVersion ?? current.version;
      const changes: Partial<MediatorProfile> = { updatedAt: new Date() };
      if (input.languages !== undefined)
        changes.languages = JSON.stringify(unique(input.languages));
      if (input.specialities !== undefined)
        changes.specialities = JSON.stringify(unique(input.specialities));
      if (input.bio !== undefined) changes.bio = input.bio?.trim() || null;
      if (input.status !== undefined) changes.status = input.status;
      const result = await manager
        .createQueryBuilder()
        .update(MediatorProfile)
        .set({ ...changes, version: () => 'version + 1' })
        .where({ userId, version })
        .execute();
      if (!result.affected) throw new CommonError('CONFLICT');
      await this.record(
        manager,
        actor,
        'disputes.mediator_updated',
        userId,
        {
          fields: Object.keys(changes).filter((k) => k !== 'updatedAt'),
        },
        meta,
      );
      return this.view(manager, await this.load(manager, userId));
    });
  }

  async addAffiliation(
    actor: Actor,
    userId: string,
    input: CreateAffiliationDto,
    meta?: RequestMeta,
  ): Promise<AffiliationView> {
    this.assertMayRead(actor, userId);
    if (input.endedOn != null && !isCalendarDate(input.endedOn))
      throw new CommonError('VALIDATION_FAILED');
    return this.tx.run(async (manager) => {
      await this.load(manager, userId);
      const firm = await this.firms.findById(input.firmId);
      if (!firm) throw new CommonError('VALIDATION_FAILED');
      const row: MediatorAffiliation = {
        id: randomUUID(),
        mediatorUserId: userId,
        firmId: firm.id,
        relation: input.relation,
        endedOn: input.endedOn ?? null,
        note: input.note?.trim() || null,
        declaredBy: actor.id,
        declaredAt: new Date(),
        removedAt: null,
      };
      await manager.insert(MediatorAffiliation, row);
      await this.record(
        manager,
        actor,
        'disputes.affiliation_declared',
        userId,
        {
          affiliationId: row.id,
          firmId: row.firmId,
          relation: row.relation,
          endedOn: row.endedOn,
        },
        meta,
      );
      return this.affiliationView(row, firm.name, beijingDate(new Date()));
    });
  }

  /** Removal keeps the row (removedAt) as evidence of what was declared. */
  async removeAffiliation(
    actor: Actor,
    userId: string,
    affiliationId: string,
    meta?: RequestMeta,
  ): Promise<void> {
    this.assertMayRead(actor, userId);
    await this.tx.run(async (manager) => {
      const row = await manager.findOneBy(MediatorAffiliation, {
        id: affiliationId,
        mediatorUserId: userId,
      });
      if (!row || row.removedAt !== null) throw new DisputesError('AFFILIATION_NOT_FOUND');
      await manager.update(MediatorAffiliation, { id: row.id }, { removedAt: new Date() });
      await this.record(
        manager,
        actor,
        'disputes.affiliation_removed',
        userId,
        {
          affiliationId: row.id,
          firmId: row.firmId,
        },
        meta,
      );
    });
  }

  /** A mediator sees and edits only their own profile; staff every profile. */
  private assertMayRead(actor: Actor, userId: string): void {
    if (isStaff(actor.role)) return;
    if (actor.role === 'mediator' && actor.id === userId) return;
    throw new DisputesError('MEDIATOR_NOT_FOUND');
  }

  private async load(manager: EntityManager, userId: string): Promise<MediatorProfile> {
    const row = await this.profile(manager, userId);
    if (!row) throw new DisputesError('MEDIATOR_NOT_FOUND');
    return row;
  }

  private async view(manager: EntityManager, p: MediatorProfile): Promise<MediatorView> {
    const user = await this.users.findById(p.userId);
    const ties = await manager.find(MediatorAffiliation, {
      where: { mediatorUserId: p.userId },
      order: { declaredAt: 'ASC', id: 'ASC' },
    });
    const names = await this.firms.namesByIds(unique(ties.map((t) => t.firmId)));
    const today = beijingDate(new Date());
    return {
      userId: p.userId,
      name: user?.name ?? '',
      languages: jsonList(p.languages),
      specialities: jsonList(p.specialities),
      bio: p.bio,
      status: p.status,
      version: p.version,
      affiliations: ties.map((t) =>
        this.affiliationView(t, names.get(t.firmId)?.name ?? null, today),
      ),
    };
  }

  private affiliationView(
    t: MediatorAffiliation,
    firmName: string | null,
    today: string,
  ): AffiliationView {
    return {
      id: t.id,
      firmId: t.firmId,
      firmName,
      relation: t.relation,
      endedOn: t.endedOn,
      note: t.note,
      declaredAt: t.declaredAt.toISOString(),
      removedAt: t.removedAt?.toISOString() ?? null,
      conflicting: affiliationConflicts(t, today),
    };
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    userId: string,
    summary: Record<string, unknown>,
    meta?: RequestMeta,
  ): Promise<void> {
    await this.audit.record(manager, {
      actor,
      action,
      subjectType: 'mediator_profile',
      subjectId: userId,
      summary,
      meta,
    });
  }
}

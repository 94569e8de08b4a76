import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { maySeeFirm } from '../../common/auth/roles.js';
import { isValidCreditCode, normaliseCreditCode } from './credit-code.js';
import type { District } from './districts.js';
import { Firm, type FirmStatus } from './entities/firm.entity.js';
import { firmSearchText } from './firm-access.js';
import { MembershipError } from './membership.errors.js';

export interface NewFirm {
  name: string;
  nameEn?: string | null;
  creditCode: string;
  district: District;
}

/** The firm as its own users and staff see it. */
export interface FirmView {
  id: string;
  name: string;
  nameEn: string | null;
  creditCode: string;
  district: string;
  status: string;
  createdAt: string;
}

export function toFirmView(firm: Firm): FirmView {
  return {
    id: firm.id,
    name: firm.name,
    nameEn: firm.nameEn,
    creditCode: firm.creditCode,
    district: firm.district,
    status: firm.status,
    createdAt: firm.createdAt.toISOString(),
  };
}

@Injectable()
export class FirmsService {
  constructor(@InjectRepository(Firm) private readonly firms: Repository<Firm>) {}

  /**
   * A firm the actor may see: staff see every firm, a firm user only their own. Anything else
   * is "not found", so nobody learns which firm ids exist.
   */
  async findVisible(actor: Actor, id: string): Promise<Firm> {
    const firm = maySeeFirm(actor, id) ? await this.firms.findOneBy({ id }) : null;
    if (!firm) throw new MembershipError('FIRM_NOT_FOUND');
    return firm;
  }

  findById(id: string): Promise<Firm | null> {
    return this.firms.findOneBy({ id });
  }

  /** Ids of the current members (active or suspended): the firms bound by the association's rules. */
  currentMemberIds(manager: EntityManager): Promise<string[]> {
    return this.idsWithStatus(manager, ['active', 'suspended']);
  }

  /** Ids of the members in good standing (active, not suspended): e.g. the firms rated. */
  activeMemberIds(manager: EntityManager): Promise<string[]> {
    return this.idsWithStatus(manager, ['active']);
  }

  /**
   * Firm records by id, read through `manager` (inside a transaction: no second connection).
   * Other modules read firms this way, never through the entity.
   */
  async byIds(manager: EntityManager, ids: readonly string[]): Promise<Firm[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    return manager.find(Firm, { where: { id: In(unique) }, order: { name: 'ASC', id: 'ASC' } });
  }

  /** Ids and names of active members by name, at most `limit` (pickers on staff forms). */
  activeNames(limit: number): Promise<Array<Pick<Firm, 'id' | 'name'>>> {
    return this.firms.find({
      select: { id: true, name: true },
      where: { status: 'active' },
      order: { name: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  /** Firms in the given statuses, by name (e.g. every active member a cycle concerns). */
  withStatus(manager: EntityManager, statuses: readonly FirmStatus[]): Promise<Firm[]> {
    return manager.find(Firm, {
      where: { status: In([...statuses]) },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  private async idsWithStatus(manager: EntityManager, statuses: FirmStatus[]): Promise<string[]> {
    const rows = await manager.find(Firm, {
      where: { status: In(statuses) },
      select: { id: true },
      order: { id: 'ASC' },
    });
    return rows.map((row) => row.id);
  }

  /** Names of the given firms, for lists other modules show (pledges signatories). */
  async namesByIds(
    ids: string[],
    manager?: EntityManager,
  ): Promise<Map<string, { name: string; nameEn: string | null }>> {
    if (ids.length === 0) return new Map();
    // Inside a transaction pass its manager: a repository read would take a second connection.
    const rows = await (manager ?? this.firms.manager).find(Firm, {
      where: { id: In(ids) },
      select: { id: true, name: true, nameEn: true },
    });
    return new Map(rows.map((row) => [row.id, { name: row.name, nameEn: row.nameEn }]));
  }

  /** Registers an applicant firm inside the caller's transaction. */
  async createApplicant(manager: EntityManager, input: NewFirm): Promise<Firm> {
    const creditCode = normaliseCreditCode(input.creditCode);
    if (!isValidCreditCode(creditCode)) throw new MembershipError('CREDIT_CODE_INVALID');
    if (await manager.findOneBy(Firm, { creditCode }))
      throw new MembershipError('CREDIT_CODE_TAKEN');
    const now = new Date();
    const name = input.name.trim();
    const nameEn = input.nameEn?.trim() || null;
    const firm = manager.create(Firm, {
      id: randomUUID(),
      name,
      nameEn,
      // Name search (staff member list, public directory) reads this.
      searchText: firmSearchText(name, nameEn),
      creditCode,
      district: input.district,
      status: 'applicant',
      createdAt: now,
      updatedAt: now,
    });
    return manager.save(firm);
  }
}

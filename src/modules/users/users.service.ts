import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { In, IsNull, type EntityManager, type Repository } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { isFirmRole, type Role } from '../../common/auth/roles.js';
import { User } from './entities/user.entity.js';
import { passwordProblem } from './password-policy.js';
import { UsersError } from './users.errors.js';

/** OWASP's argon2id baseline (19 MiB, 2 passes) with a little headroom. */
const ARGON2_OPTIONS: argon2.HashOptions = {
  type: argon2.argon2id,
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
};

/** A hash of a random password: verifying against it costs the same as a real account. */
let dummyHash: Promise<string> | undefined;

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
  firmId?: string | null;
  locale?: 'zh-CN' | 'en';
  emailVerified?: boolean;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toActor(user: User): Actor {
  return { id: user.id, role: user.role, firmId: user.firmId, name: user.name, email: user.email };
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normaliseEmail(email) });
  }

  /** A firm's enabled administrators, who receive its membership notices. */
  firmAdmins(manager: EntityManager, firmId: string): Promise<User[]> {
    return manager.find(User, {
      where: { firmId, role: 'firm_admin', disabledAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Every account of a firm, disabled ones included (the firm portal lists colleagues). */
  listByFirm(firmId: string, manager?: EntityManager): Promise<User[]> {
    return (manager ?? this.users.manager).find(User, {
      where: { firmId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Disables an account inside the caller's transaction: the session check refuses it from the
   * next request on. The row stays (audit events and signatures point at it).
   */
  async disable(manager: EntityManager, id: string): Promise<void> {
    const now = new Date();
    await manager.update(User, { id, disabledAt: IsNull() }, { disabledAt: now, updatedAt: now });
  }

  /** Throws the policy error for a password that may not be used. */
  assertAcceptablePassword(password: string, identity: { email?: string; name?: string }): void {
    const problem = passwordProblem(password, identity);
    if (problem) throw new UsersError(`PASSWORD_${problem}`);
  }

  hashPassword(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  /** Constant-work password check: an unknown user costs as much as a wrong password. */
  async verifyPassword(user: User | null, password: string): Promise<boolean> {
    if (!user) {
      dummyHash ??= argon2.hash(randomUUID(), ARGON2_OPTIONS);
      await argon2.verify(await dummyHash, password);
      return false;
    }
    try {
      return await argon2.verify(user.passwordHash, password);
    } catch {
      return false;
    }
  }

  /** Creates a user inside the caller's transaction. */
  async create(manager: EntityManager, input: NewUser): Promise<User> {
    const email = normaliseEmail(input.email);
    this.assertAcceptablePassword(input.password, { email, name: input.name });
    const firmId = input.firmId ?? null;
    if (isFirmRole(input.role) && !firmId) throw new UsersError('FIRM_REQUIRED');
    if (!isFirmRole(input.role) && firmId) throw new UsersError('FIRM_NOT_ALLOWED');
    if (await manager.findOneBy(User, { email })) throw new UsersError('EMAIL_TAKEN');
    const now = new Date();
    const user = manager.create(User, {
      id: randomUUID(),
      email,
      name: input.name.trim(),
      role: input.role,
      firmId,
      passwordHash: await this.hashPassword(input.password),
      locale: input.locale ?? 'zh-CN',
      emailVerifiedAt: input.emailVerified ? now : null,
      totpSecretEnc: null,
      totpEnabledAt: null,
      totpLastStep: null,
      disabledAt: null,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    return manager.save(user);
  }

  async setPassword(manager: EntityManager, user: User, password: string): Promise<void> {
    this.assertAcceptablePassword(password, { email: user.email, name: user.name });
    const now = new Date();
    await manager.update(
      User,
      { id: user.id },
      { passwordHash: await this.hashPassword(password), passwordChangedAt: now, updatedAt: now },
    );
  }

  async update(manager: EntityManager, id: string, changes: Partial<User>): Promise<void> {
    await manager.update(User, { id }, { ...changes, updatedAt: new Date() });
  }

  /**
   * Accounts by id, read through `manager` (inside a transaction: no second pooled connection).
   * Disabled accounts are included; callers that notify people skip them.
   */
  async byIds(manager: EntityManager, ids: readonly string[]): Promise<User[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    return manager.find(User, {
      where: { id: In(unique) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Enabled accounts holding one of `roles`, oldest first (e.g. every staff admin to alert). */
  activeWithRoles(manager: EntityManager, roles: readonly Role[]): Promise<User[]> {
    return manager.find(User, {
      where: { role: In([...roles]), disabledAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Enabled accounts per role (the staff home page shows them); roles with none are absent. */
  async countByRole(): Promise<Partial<Record<Role, number>>> {
    const rows = await this.users
      .createQueryBuilder('u')
      .select('u.role', 'role')
      .addSelect('COUNT(*)', 'count')
      .where('u.disabledAt IS NULL')
      .groupBy('u.role')
      .getRawMany<{ role: Role; count: string | number }>();
    return Object.fromEntries(rows.map((row) => [row.role, Number(row.count)]));
  }

  async hasAdmin(): Promise<boolean> {
    return (await this.users.countBy({ role: 'staff_admin' })) > 0;
  }
}

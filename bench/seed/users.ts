import type { Role } from '../../src/common/auth/roles.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import type { BulkConnection } from './bulk.js';
import { mediatorId, seededId, userId } from './ids.js';

/**
 * Seeded people: association staff, mediators (with their profiles), one firm admin per firm
 * and the complainants. All share one password, hashed once; e-mail verified, no TOTP.
 */

/** The one password of every seeded person. */
export const SEED_PASSWORD = 'Bench-Seed-2026!';

const DOMAIN = 'bench.szifa.org.cn';

export const staffEmail = (n: number): string =>
  n === 0 ? `admin@${DOMAIN}` : `staff-${n}@${DOMAIN}`;
export const mediatorEmail = (m: number): string => `mediator-${m}@${DOMAIN}`;
export const firmAdminEmail = (n: number): string => `firm-${n}@${DOMAIN}`;
export const complainantEmail = (c: number): string => `consumer-${c}@${DOMAIN}`;
export const firmAdminId = (n: number): string => seededId('firmUser', n);
export const staffId = (n: number): string => seededId('staff', n);

export interface PeoplePlan {
  firms: number;
  complainants: number;
  mediators: number;
}

const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'firmId',
  'passwordHash',
  'locale',
  'emailVerifiedAt',
  'passwordChangedAt',
  'createdAt',
  'updatedAt',
  'version',
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '涛', '明'];
const nameOf = (n: number): string =>
  SURNAMES[n % SURNAMES.length] + GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length];

/**
 * The password hash exactly as the application makes it (its own argon2id options): signing in
 * then costs what it costs for a real account.
 */
export function hashSeedPassword(): Promise<string> {
  return UsersService.prototype.hashPassword.call(
    undefined as unknown as UsersService,
    SEED_PASSWORD,
  );
}

/** Inserts every seeded person and the mediators' profiles. */
export async function loadPeople(db: BulkConnection, plan: PeoplePlan): Promise<void> {
  const hash = await hashSeedPassword();
  const at = db.time(Date.UTC(2024, 0, 1));
  const row = (
    id: string,
    email: string,
    name: string,
    role: Role,
    firmId: string | null,
    locale: 'zh-CN' | 'en' = 'zh-CN',
  ): unknown[] => [id, email, name, role, firmId, hash, locale, at, at, at, at, 1];

  function* people(): Generator<unknown[]> {
    yield row(staffId(0), staffEmail(0), '协会管理员', 'staff_admin', null);
    yield row(staffId(1), staffEmail(1), '协会审核员', 'staff_reviewer', null);
    for (let m = 0; m < plan.mediators; m++)
      yield row(mediatorId(m), mediatorEmail(m), `调解员${nameOf(m)}`, 'mediator', null);
    for (let n = 0; n < plan.firms; n++)
      yield row(
        firmAdminId(n),
        firmAdminEmail(n),
        nameOf(n + 7),
        'firm_admin',
        seededId('firm', n),
        n % 5 === 0 ? 'en' : 'zh-CN',
      );
    for (let c = 0; c < plan.complainants; c++)
      yield row(userId(c), complainantEmail(c), nameOf(c + 3), 'complainant', null);
  }
  await db.insert('users', USER_COLUMNS, people());

  function* profiles(): Generator<unknown[]> {
    for (let m = 0; m < plan.mediators; m++)
      yield [
        mediatorId(m),
        JSON.stringify(m % 3 === 0 ? ['zh', 'en'] : ['zh']),
        JSON.stringify(m % 2 === 0 ? ['repayment_overdue', 'fee_dispute'] : ['data_leak']),
        null,
        'active',
        at,
        at,
        1,
      ];
  }
  await db.insert(
    'mediator_profiles',
    ['userId', 'languages', 'specialities', 'bio', 'status', 'createdAt', 'updatedAt', 'version'],
    profiles(),
  );
}

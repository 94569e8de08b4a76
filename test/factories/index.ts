import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/common/auth/roles.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { firmSearchText } from '../../src/modules/membership/firm-access.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import type { TestApp } from '../helpers/test-app.js';

export const DEFAULT_PASSWORD = 'Kx7#pLm2qWv9';

let counter = 0;
const unique = (): string => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** A valid unified social credit code built from a random body (see credit-code tests). */
export function randomCreditCode(): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = '91440300';
  while (body.length < 17) body += chars[Math.floor(Math.random() * 31)];
  const sum = [...body].reduce((acc, ch, i) => acc + chars.indexOf(ch) * weights[i], 0);
  return body + chars[(31 - (sum % 31)) % 31];
}

export async function createFirm(t: TestApp, overrides: Partial<Firm> = {}): Promise<Firm> {
  const tx = t.app.get(TransactionService);
  const now = new Date();
  const name = overrides.name ?? `测试金融科技有限公司${unique()}`;
  const nameEn = overrides.nameEn ?? null;
  return tx.run((em) =>
    em.save(
      em.create(Firm, {
        id: randomUUID(),
        name,
        nameEn,
        // As the firms service keeps it, so that directory searches find factory firms.
        searchText: firmSearchText(name, nameEn),
        creditCode: randomCreditCode(),
        district: 'futian',
        status: 'active',
        createdAt: now,
        updatedAt: now,
        ...overrides,
      }),
    ),
  );
}

export interface CreatedUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  firmId: string | null;
}

export async function createUser(
  t: TestApp,
  options: {
    role?: Role;
    firmId?: string | null;
    password?: string;
    email?: string;
    verified?: boolean;
  } = {},
): Promise<CreatedUser> {
  const role = options.role ?? 'complainant';
  let firmId = options.firmId ?? null;
  if ((role === 'firm_admin' || role === 'firm_member') && !firmId)
    firmId = (await createFirm(t)).id;
  const password = options.password ?? DEFAULT_PASSWORD;
  const email = options.email ?? `${role}.${unique()}@example.cn`;
  const users = t.app.get(UsersService);
  const tx = t.app.get(TransactionService);
  const user = await tx.run((em) =>
    users.create(em, {
      email,
      name: `用户${unique()}`,
      role,
      password,
      firmId,
      emailVerified: options.verified ?? true,
    }),
  );
  return { id: user.id, email, password, role, firmId };
}

/** Signs in through the API and returns the bearer token. */
export async function apiToken(
  t: TestApp,
  user: Pick<CreatedUser, 'email' | 'password'>,
): Promise<string> {
  const res = await t.http
    .post('/api/v1/auth/token')
    .send({ email: user.email, password: user.password });
  if (res.status !== 200)
    throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { accessToken: string }).accessToken;
}

/** Creates a user of `role` and signs in; returns both. */
export async function loginAs(
  t: TestApp,
  role: Role,
  options: { firmId?: string | null } = {},
): Promise<CreatedUser & { token: string }> {
  const user = await createUser(t, { role, firmId: options.firmId });
  return { ...user, token: await apiToken(t, user) };
}

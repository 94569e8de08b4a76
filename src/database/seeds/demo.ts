import type { INestApplicationContext } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../../common/auth/roles.js';
import { AuditService } from '../../modules/audit/audit.service.js';
import { Firm } from '../../modules/membership/entities/firm.entity.js';
import { FirmsService } from '../../modules/membership/firms.service.js';
import { User } from '../../modules/users/entities/user.entity.js';
import { UsersService } from '../../modules/users/users.service.js';
import { TransactionService } from '../transaction.service.js';
import {
  DEMO_COMPLAINANTS,
  DEMO_FIRM_PEOPLE,
  DEMO_FIRMS,
  DEMO_MEDIATORS,
  DEMO_PASSWORDS,
  DEMO_REVIEWERS,
  DEMO_STAFF_ADMINS,
  demoCreditCode,
  demoEmail,
  demoMemberCount,
  type DemoFirm,
  type DemoPerson,
} from './demo-data.js';

/** Marks what the seed wrote, in each audit event's summary. */
const VIA = 'seed:demo';

/** What the sections share: one transaction and the services that write through it. */
export interface DemoSeedContext {
  manager: EntityManager;
  users: UsersService;
  firms: FirmsService;
  audit: AuditService;
}

export interface SeededFirm {
  data: DemoFirm;
  firm: Firm;
  admin: User;
  members: User[];
}

/** Everything the seed created, for later sections (and the summary the CLI prints). */
export interface DemoSeedResult {
  staffAdmins: User[];
  reviewers: User[];
  mediators: User[];
  firms: SeededFirm[];
  complainants: User[];
}

export class DemoDatabaseNotEmpty extends Error {
  constructor(users: number) {
    super(
      `seed:demo only fills an empty database, and this one already has ${users} user(s). ` +
        'Point SQLITE_PATH or DATABASE_URL at a new database to try the demo.',
    );
  }
}

/**
 * Fills an empty database with a living association. One transaction: a failure leaves the
 * database as empty as it was, so the seed can simply be run again.
 *
 * Later features add their own section (`seedPledges`, `seedRatings`, ...) after the ones
 * here; each takes the context and what earlier sections returned.
 */
export async function seedDemo(app: INestApplicationContext): Promise<DemoSeedResult> {
  const users = app.get(UsersService);
  const firms = app.get(FirmsService);
  const audit = app.get(AuditService);
  return app.get(TransactionService).run(async (manager) => {
    const existing = await manager.count(User);
    if (existing > 0) throw new DemoDatabaseNotEmpty(existing);
    const ctx: DemoSeedContext = { manager, users, firms, audit };
    const staff = await seedStaff(ctx);
    const mediators = await seedMediators(ctx);
    const seededFirms = await seedFirms(ctx);
    const complainants = await seedComplainants(ctx);
    return { ...staff, mediators, firms: seededFirms, complainants };
  });
}

async function createDemoUser(
  ctx: DemoSeedContext,
  person: DemoPerson,
  role: Role,
  firm?: { id: string; slug: string; locale?: 'zh-CN' | 'en' },
  login = person.login,
): Promise<User> {
  const user = await ctx.users.create(ctx.manager, {
    email: demoEmail(login, firm?.slug),
    name: person.name,
    role,
    password: DEMO_PASSWORDS[role],
    firmId: firm?.id ?? null,
    locale: person.locale ?? firm?.locale ?? 'zh-CN',
    emailVerified: true,
  });
  await ctx.audit.record(ctx.manager, {
    actor: null,
    action: 'user.created',
    subjectType: 'user',
    subjectId: user.id,
    summary: { email: user.email, role, firmId: user.firmId, via: VIA },
  });
  return user;
}

/** The secretariat: staff administrators and the reviewers who assess members. */
export async function seedStaff(
  ctx: DemoSeedContext,
): Promise<{ staffAdmins: User[]; reviewers: User[] }> {
  const staffAdmins: User[] = [];
  for (const person of DEMO_STAFF_ADMINS) {
    staffAdmins.push(await createDemoUser(ctx, person, 'staff_admin'));
  }
  const reviewers: User[] = [];
  for (const person of DEMO_REVIEWERS) {
    reviewers.push(await createDemoUser(ctx, person, 'staff_reviewer'));
  }
  return { staffAdmins, reviewers };
}

/** The mediator panel (调解员) that handles complaints against members. */
export async function seedMediators(ctx: DemoSeedContext): Promise<User[]> {
  const mediators: User[] = [];
  for (const person of DEMO_MEDIATORS) {
    mediators.push(await createDemoUser(ctx, person, 'mediator'));
  }
  return mediators;
}

/**
 * Member firms in every district, each with its administrator (admin@<firm>.demo...) and one or
 * two members. Most are admitted members; a couple are still applicants.
 */
export async function seedFirms(ctx: DemoSeedContext): Promise<SeededFirm[]> {
  const seeded: SeededFirm[] = [];
  let person = 0;
  for (const [index, data] of DEMO_FIRMS.entries()) {
    let firm = await ctx.firms.createApplicant(ctx.manager, {
      name: data.name,
      nameEn: data.nameEn,
      creditCode: demoCreditCode(index + 1),
      district: data.district,
    });
    await ctx.audit.record(ctx.manager, {
      actor: null,
      action: 'firm.created',
      subjectType: 'firm',
      subjectId: firm.id,
      summary: { name: firm.name, creditCode: firm.creditCode, district: firm.district, via: VIA },
    });
    if (data.status === 'active') firm = await admitFirm(ctx, firm);
    const where = { id: firm.id, slug: data.slug, locale: data.locale };
    const admin = await createDemoUser(
      ctx,
      DEMO_FIRM_PEOPLE[person++],
      'firm_admin',
      where,
      'admin',
    );
    const members: User[] = [];
    for (let m = 0; m < demoMemberCount(index); m++) {
      members.push(await createDemoUser(ctx, DEMO_FIRM_PEOPLE[person++], 'firm_member', where));
    }
    seeded.push({ data, firm, admin, members });
  }
  return seeded;
}

/**
 * Makes an applicant a member. The membership module has no admission workflow yet; when it
 * does, this should go through it instead of setting the status here.
 */
async function admitFirm(ctx: DemoSeedContext, firm: Firm): Promise<Firm> {
  await ctx.manager.update(Firm, { id: firm.id }, { status: 'active', updatedAt: new Date() });
  await ctx.audit.record(ctx.manager, {
    actor: null,
    action: 'firm.status_changed',
    subjectType: 'firm',
    subjectId: firm.id,
    summary: { from: firm.status, to: 'active', via: VIA },
  });
  return ctx.manager.findOneByOrFail(Firm, { id: firm.id });
}

/** Members of the public who bring complaints (投诉人). */
export async function seedComplainants(ctx: DemoSeedContext): Promise<User[]> {
  const complainants: User[] = [];
  for (const person of DEMO_COMPLAINANTS) {
    complainants.push(await createDemoUser(ctx, person, 'complainant'));
  }
  return complainants;
}

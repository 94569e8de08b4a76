import type { INestApplicationContext } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import type { Role } from '../../common/auth/roles.js';
import {
  addDays,
  beijingDate,
  beijingYear,
  startOfBeijingDate,
} from '../../common/time/beijing.js';
import { AppConfig } from '../../config/app-config.js';
import { AuditService } from '../../modules/audit/audit.service.js';
import { ApplicationsService } from '../../modules/membership/applications.service.js';
import { DISTRICTS } from '../../modules/membership/districts.js';
import { DocumentsService } from '../../modules/membership/documents.service.js';
import { balanceFen, DuesService } from '../../modules/membership/dues.service.js';
import { Firm } from '../../modules/membership/entities/firm.entity.js';
import type { Invoice } from '../../modules/membership/entities/invoice.entity.js';
import { FirmProfileService } from '../../modules/membership/firm-profile.service.js';
import { FirmsService } from '../../modules/membership/firms.service.js';
import { LifecycleService } from '../../modules/membership/lifecycle.service.js';
import { csvRecord, IMPORT_COLUMNS } from '../../modules/membership/members-csv.js';
import { MembersService } from '../../modules/membership/members.service.js';
import { ColleaguesService } from '../../modules/membership/colleagues.service.js';
import { ConventionsService } from '../../modules/pledges/conventions.service.js';
import type { ConventionVersion } from '../../modules/pledges/entities/convention-version.entity.js';
import { SignaturesService } from '../../modules/pledges/signatures.service.js';
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
  demoCategories,
  demoCreditCode,
  demoEmail,
  demoLicence,
  demoMemberCount,
  type DemoFirm,
  type DemoPerson,
} from './demo-data.js';
import { simplePdf } from './demo-pdf.js';

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
 * Fills an empty database with a living association, in two parts.
 *
 * 1. People and firms, in one transaction (a failure leaves the database empty, so the seed can
 *    simply be run again): the secretariat, mediators, complainants; the firms that were members
 *    before the platform, brought in by the CSV member import; the firms that registered on the
 *    platform as applicants; every firm's users.
 * 2. What happened to the firms since (seedMembershipHistory), replayed through the membership
 *    services one step at a time, each in its own transaction as in real use, so that the
 *    records are exactly what the workflows produce. Should this part fail, start again on an
 *    empty database.
 *
 * Later features add their own section (`seedPledges`, `seedRatings`, ...) after these; each
 * takes what earlier sections returned.
 */
export async function seedDemo(app: INestApplicationContext): Promise<DemoSeedResult> {
  const users = app.get(UsersService);
  const firms = app.get(FirmsService);
  const audit = app.get(AuditService);
  const members = app.get(MembersService);
  const seeded = await app.get(TransactionService).run(async (manager) => {
    const existing = await manager.count(User);
    if (existing > 0) throw new DemoDatabaseNotEmpty(existing);
    const ctx: DemoSeedContext = { manager, users, firms, audit };
    const staff = await seedStaff(ctx);
    const mediators = await seedMediators(ctx);
    const seededFirms = await seedFirms(ctx, members, staff.staffAdmins[0]);
    const complainants = await seedComplainants(ctx);
    return { ...staff, mediators, firms: seededFirms, complainants };
  });
  await seedMembershipHistory(app, seeded);
  await seedPledges(app, seeded);
  // The firms as the workflows left them.
  for (const entry of seeded.firms) {
    entry.firm = (await firms.findById(entry.firm.id)) ?? entry.firm;
  }
  return seeded;
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

/** The import file a secretariat would have prepared from its old member register. */
export function demoImportCsv(): Buffer {
  const lines = [csvRecord([...IMPORT_COLUMNS])];
  for (const [index, data] of DEMO_FIRMS.entries()) {
    if (data.journey.origin !== 'imported') continue;
    lines.push(
      csvRecord([
        data.name,
        data.nameEn,
        demoCreditCode(index + 1),
        DISTRICTS[data.district].zh,
        data.journey.tier,
        data.journey.memberSince,
        data.profile.legalRepresentative,
        demoEmail('office', data.slug),
        demoCategories(data.business).join('|'),
      ]),
    );
  }
  return Buffer.from(lines.join(''), 'utf8');
}

/**
 * Member firms in every district, each with its administrator (admin@<firm>.demo...) and one or
 * two members. The association's existing members come in through the CSV member import, as
 * they would on the day the platform opens; the others register as applicants.
 */
export async function seedFirms(
  ctx: DemoSeedContext,
  members: MembersService,
  importedBy: User,
): Promise<SeededFirm[]> {
  const imported = await members.importCsv(
    { id: importedBy.id, role: importedBy.role },
    demoImportCsv(),
  );
  const importedIds = new Map(imported.firms.map((f) => [f.creditCode, f.id]));
  const seeded: SeededFirm[] = [];
  let person = 0;
  for (const [index, data] of DEMO_FIRMS.entries()) {
    const creditCode = demoCreditCode(index + 1);
    let firm: Firm;
    const importedId = importedIds.get(creditCode);
    if (importedId) {
      firm = await ctx.manager.findOneByOrFail(Firm, { id: importedId });
    } else {
      firm = await ctx.firms.createApplicant(ctx.manager, {
        name: data.name,
        nameEn: data.nameEn,
        creditCode,
        district: data.district,
      });
      await ctx.audit.record(ctx.manager, {
        actor: null,
        action: 'firm.created',
        subjectType: 'firm',
        subjectId: firm.id,
        summary: {
          name: firm.name,
          creditCode: firm.creditCode,
          district: firm.district,
          via: VIA,
        },
      });
    }
    const where = { id: firm.id, slug: data.slug, locale: data.locale };
    const admin = await createDemoUser(
      ctx,
      DEMO_FIRM_PEOPLE[person++],
      'firm_admin',
      where,
      'admin',
    );
    const staff: User[] = [];
    for (let m = 0; m < demoMemberCount(index); m++) {
      staff.push(await createDemoUser(ctx, DEMO_FIRM_PEOPLE[person++], 'firm_member', where));
    }
    seeded.push({ data, firm, admin, members: staff });
  }
  return seeded;
}

/** Members of the public who bring complaints (投诉人). */
export async function seedComplainants(ctx: DemoSeedContext): Promise<User[]> {
  const complainants: User[] = [];
  for (const person of DEMO_COMPLAINANTS) {
    complainants.push(await createDemoUser(ctx, person, 'complainant'));
  }
  return complainants;
}

// ---------------------------------------------------------------------------------------------
// Part 2: what happened to the firms, through the membership services.

interface MembershipServices {
  firms: FirmsService;
  profiles: FirmProfileService;
  documents: DocumentsService;
  colleagues: ColleaguesService;
  applications: ApplicationsService;
  dues: DuesService;
  lifecycle: LifecycleService;
  graceDays: number;
}

function actorOf(user: User): Actor {
  return { id: user.id, role: user.role, firmId: user.firmId, name: user.name, email: user.email };
}

/** 10:00 Beijing time on a calendar date: when the demo's office-hours events happen. */
function officeHours(date: string): Date {
  return new Date(startOfBeijingDate(date).getTime() + 10 * 3600_000);
}

/**
 * Replays each firm's journey (demo-data.ts) through the services. The imported members' dues
 * history runs on the dates it would have happened: last year's renewal invoices raised on
 * 1 November two years ago and paid in December, the lapse of the one member that never paid
 * once its grace period was over, this year's renewals raised last 1 November and paid. The
 * applications, sanctions and payments of this year happen now.
 */
export async function seedMembershipHistory(
  app: INestApplicationContext,
  seeded: DemoSeedResult,
): Promise<void> {
  const services: MembershipServices = {
    firms: app.get(FirmsService),
    profiles: app.get(FirmProfileService),
    documents: app.get(DocumentsService),
    colleagues: app.get(ColleaguesService),
    applications: app.get(ApplicationsService),
    dues: app.get(DuesService),
    lifecycle: app.get(LifecycleService),
    graceDays: app.get(AppConfig).DUES_GRACE_DAYS,
  };
  const staff = actorOf(seeded.staffAdmins[0]);
  const reviewer = actorOf(seeded.reviewers[0]);
  const now = new Date();
  const year = beijingYear(now);

  for (const [index, entry] of seeded.firms.entries()) {
    await fillProfile(services, entry, index);
  }

  const imported = seeded.firms.filter((f) => f.data.journey.origin === 'imported');
  const lapsing = new Set(
    imported
      .filter(
        (f) => f.data.journey.origin === 'imported' && f.data.journey.then?.status === 'lapsed',
      )
      .map((f) => f.firm.id),
  );
  // Last year's renewals, paid in December by all but the member that lets its membership lapse.
  await services.lifecycle.raiseRenewalInvoices(officeHours(`${year - 2}-11-01`));
  for (const [n, entry] of imported.entries()) {
    if (lapsing.has(entry.firm.id)) continue;
    await payInFull(
      services,
      staff,
      entry,
      year - 1,
      `${year - 2}-12-${String(5 + n).padStart(2, '0')}`,
    );
  }
  await services.lifecycle.lapseOverdue(
    officeHours(addDays(`${year - 2}-12-31`, services.graceDays + 10)),
  );
  // This year's renewals (the lapsed member no longer gets one).
  await services.lifecycle.raiseRenewalInvoices(officeHours(`${year - 1}-11-01`));
  for (const [n, entry] of imported.entries()) {
    const journey = entry.data.journey;
    if (journey.origin !== 'imported' || lapsing.has(entry.firm.id)) continue;
    const invoice = await invoiceOf(services, entry.firm.id, year);
    if (journey.dues === 'waived') {
      await services.dues.waive(staff, invoice.id, {
        reason: '经理事会审议，该会员受业务调整影响，减免本年度会费。',
        version: invoice.version,
      });
    } else {
      await payInFull(
        services,
        staff,
        entry,
        year,
        `${year - 1}-12-${String(5 + n).padStart(2, '0')}`,
      );
    }
  }

  for (const entry of imported) await afterImport(services, staff, entry, now);
  for (const entry of seeded.firms.filter((f) => f.data.journey.origin === 'applied')) {
    await apply(services, staff, reviewer, entry);
  }
}

/**
 * The firm administrator completes the record: registered facts, contacts, categories, the
 * licence its business needs and a scan of the business licence; active firms name their
 * authorised signatory. The draft applicant has only just started.
 */
async function fillProfile(
  services: MembershipServices,
  entry: SeededFirm,
  index: number,
): Promise<void> {
  const { data, firm } = entry;
  const admin = actorOf(entry.admin);
  const contact = {
    contactName: entry.admin.name,
    contactPhone: `0755-8${String(3_200_000 + index * 1_117).padStart(7, '0')}`,
    contactEmail: demoEmail('office', data.slug),
    website: `https://www.${data.slug}.example`,
  };
  const started = data.journey.origin === 'applied' && data.journey.stage === 'draft';
  if (started) {
    await services.profiles.updateProfile(admin, firm.id, contact);
    return;
  }
  if (data.journey.origin === 'applied') {
    // Reviewed fields; an applicant's change takes effect at once (staff review the whole record).
    await services.profiles.requestChange(admin, firm.id, {
      legalRepresentative: data.profile.legalRepresentative,
    });
  }
  await services.profiles.updateProfile(admin, firm.id, {
    ...contact,
    registeredCapital: data.profile.registeredCapital,
    establishedOn: data.profile.establishedOn,
    address: `深圳市${DISTRICTS[data.district].zh}${data.profile.street}`,
    categories: demoCategories(data.business),
  });
  const licence = demoLicence(data, index + 1);
  if (licence) await services.profiles.addLicence(admin, firm.id, licence);
  const scan = simplePdf([
    'BUSINESS LICENCE (DEMO SCAN)',
    data.nameEn,
    `Unified social credit code: ${firm.creditCode}`,
    `Established: ${data.profile.establishedOn}`,
    'Invented for the SZIFA platform demo; not a real document.',
  ]);
  await services.documents.upload(admin, firm.id, 'business_licence', {
    fieldname: 'file',
    originalname: '营业执照.pdf',
    mimetype: 'application/pdf',
    size: scan.length,
    buffer: scan,
  });
}

async function invoiceOf(
  services: MembershipServices,
  firmId: string,
  year: number,
): Promise<Invoice> {
  const invoice = (await services.dues.invoicesForFirm(firmId)).find((i) => i.year === year);
  if (!invoice) throw new Error(`seed:demo: no ${year} invoice for firm ${firmId}`);
  return invoice;
}

async function pay(
  services: MembershipServices,
  staff: Actor,
  entry: SeededFirm,
  invoice: Invoice,
  amountFen: number,
  paidOn: string,
): Promise<void> {
  await services.dues.recordPayment(staff, invoice.id, {
    amountFen,
    paidOn,
    bankReference: `DEMO-${paidOn.replace(/-/g, '')}-${entry.data.slug.toUpperCase()}`.slice(
      0,
      100,
    ),
    version: invoice.version,
  });
}

async function payInFull(
  services: MembershipServices,
  staff: Actor,
  entry: SeededFirm,
  year: number,
  paidOn: string,
): Promise<void> {
  const invoice = await invoiceOf(services, entry.firm.id, year);
  if (invoice.status === 'open') {
    await pay(services, staff, entry, invoice, balanceFen(invoice), paidOn);
  }
}

/** Active imported members name a signatory; then sanctions, withdrawal, pending changes. */
async function afterImport(
  services: MembershipServices,
  staff: Actor,
  entry: SeededFirm,
  now: Date,
): Promise<void> {
  const journey = entry.data.journey;
  if (journey.origin !== 'imported') return;
  const admin = actorOf(entry.admin);
  if (journey.then?.status !== 'lapsed') {
    await services.colleagues.designateSignatory(admin, entry.firm.id, entry.admin.id);
  }
  const version = async (): Promise<number> =>
    (await services.firms.findById(entry.firm.id))?.version ?? 0;
  switch (journey.then?.status) {
    case 'suspended':
      await services.lifecycle.transition(staff, entry.firm.id, {
        action: 'suspend',
        version: await version(),
        reasonCategory: journey.then.reasonCategory,
        reason: journey.then.reason,
        until: addDays(beijingDate(now), 90),
      });
      break;
    case 'expelled':
      await services.lifecycle.transition(staff, entry.firm.id, {
        action: 'expel',
        version: await version(),
        reasonCategory: journey.then.reasonCategory,
        reason: journey.then.reason,
        decisionRef: `深互金协〔${beijingYear(now)}〕7号`,
      });
      break;
    case 'withdrawn':
      await services.lifecycle.transition(admin, entry.firm.id, {
        action: 'withdraw',
        version: await version(),
        confirm: true,
      });
      break;
    default:
      break;
  }
  if (journey.pendingChange) {
    await services.profiles.requestChange(admin, entry.firm.id, journey.pendingChange);
  }
}

/** The firm applies; staff take the application as far as the journey says. */
async function apply(
  services: MembershipServices,
  staff: Actor,
  reviewer: Actor,
  entry: SeededFirm,
): Promise<void> {
  const journey = entry.data.journey;
  if (journey.origin !== 'applied') return;
  const admin = actorOf(entry.admin);
  const application = await services.applications.create(admin, { requestedTier: journey.tier });
  if (journey.stage === 'draft') return;
  let version = application.version;
  const step = async (
    actor: Actor,
    action: 'submit' | 'start_review' | 'request_changes' | 'resubmit' | 'approve' | 'reject',
    comment: string | null = null,
  ): Promise<Invoice | null> => {
    const result = await services.applications.transition(actor, application.id, {
      action,
      comment,
      version,
    });
    version = result.application.version;
    return result.invoice;
  };
  await step(admin, 'submit');
  if (journey.stage === 'submitted') return;
  await step(reviewer, 'start_review');
  if (journey.stage === 'under_review') return;
  if (journey.stage === 'changes_requested') {
    await step(
      reviewer,
      'request_changes',
      '请补充上传网络小额贷款业务经营许可证的扫描件，并核对注册资本是否与营业执照一致。',
    );
    return;
  }
  if (journey.stage === 'rejected') {
    await step(
      staff,
      'reject',
      '经核查，贵公司目前未取得开展网络小额贷款业务所需的经营许可，暂不符合入会条件。取得许可后欢迎重新申请。',
    );
    return;
  }
  if (journey.resubmitted) {
    await step(reviewer, 'request_changes', '请在机构资料中补充公司官网地址和联系电话。');
    await step(admin, 'resubmit');
    await step(reviewer, 'start_review');
  }
  const invoice = await step(staff, 'approve');
  await services.colleagues.designateSignatory(admin, entry.firm.id, entry.admin.id);
  if (!invoice || invoice.status !== 'open' || journey.dues === 'unpaid') return;
  const today = beijingDate(new Date());
  const amount = journey.dues === 'partial' ? Math.floor(invoice.amountFen / 2) : invoice.amountFen;
  await pay(services, staff, entry, invoice, amount, today);
}

// ---------------------------------------------------------------------------------------------
// Part 3: the self-discipline convention, through the pledges services.

/** How a demo firm's signatory treated the two convention versions, by its place in the seed. */
export type DemoPledge = 'both' | 'first' | 'none';

/** Active members in seed order take turns: signed both versions, only the first, or neither. */
export function demoPledgeOf(activeIndex: number): DemoPledge {
  return (['both', 'first', 'none'] as const)[activeIndex % 3];
}

const CONVENTION_V1 = {
  titleZh: '深圳市互联网金融行业自律公约',
  titleEn: 'Self-Discipline Convention of the Shenzhen Internet Finance Industry',
  bodyZh: [
    '# 第一章 总则',
    '',
    '第一条 为规范深圳市互联网金融从业机构的经营行为，保护金融消费者合法权益，促进行业健康发展，制定本公约。',
    '',
    '第二条 会员单位应当遵守法律、法规和监管规定，坚持依法合规、诚实守信、公平竞争。',
    '',
    '# 第二章 消费者保护',
    '',
    '第三条 会员单位应当充分披露产品风险，不得作虚假或者引人误解的宣传。',
    '',
    '第四条 会员单位应当依法保护客户个人信息，不得非法收集、使用或者向他人提供。',
    '',
  ].join('\n'),
  bodyEn: [
    '# Chapter 1 General provisions',
    '',
    'Article 1 This convention regulates the conduct of internet finance firms in Shenzhen, protects financial consumers and promotes the healthy development of the industry.',
    '',
    'Article 2 Members obey laws, regulations and supervisory rules, and act lawfully, honestly and in fair competition.',
    '',
    '# Chapter 2 Consumer protection',
    '',
    'Article 3 Members disclose product risks in full and make no false or misleading claims.',
    '',
    "Article 4 Members protect customers' personal information as the law requires and never collect, use or pass it on unlawfully.",
    '',
  ].join('\n'),
};

/** Version 2 adds an article on complaints and mediation. */
const CONVENTION_V2 = {
  titleZh: '深圳市互联网金融行业自律公约（修订版）',
  titleEn: 'Self-Discipline Convention of the Shenzhen Internet Finance Industry (revised)',
  bodyZh:
    CONVENTION_V1.bodyZh +
    [
      '# 第三章 投诉与调解',
      '',
      '第五条 会员单位应当在收到协会转交的投诉后十个工作日内答复，并配合协会组织的调解。',
      '',
    ].join('\n'),
  bodyEn:
    CONVENTION_V1.bodyEn +
    [
      '# Chapter 3 Complaints and mediation',
      '',
      'Article 5 Members answer a complaint the association forwards within ten working days and take part in the mediation it arranges.',
      '',
    ].join('\n'),
};

/**
 * The association publishes the convention, the active members' signatories sign it (with the
 * demo password, as the signing ceremony asks), a revised version follows, and some sign again:
 * so the lists show firms that signed both versions, only the first, or neither.
 */
export async function seedPledges(
  app: INestApplicationContext,
  seeded: DemoSeedResult,
): Promise<{ versions: ConventionVersion[]; pledges: Map<string, DemoPledge> }> {
  const conventions = app.get(ConventionsService);
  const signatures = app.get(SignaturesService);
  const firms = app.get(FirmsService);
  const staff = actorOf(seeded.staffAdmins[0]);
  const meta = { ip: null, userAgent: VIA, requestId: null };
  const today = beijingDate(new Date());
  const publish = async (text: typeof CONVENTION_V1): Promise<ConventionVersion> => {
    const draft = await conventions.createDraft(staff, text, meta);
    return conventions.publish(
      staff,
      draft.id,
      { version: draft.version, effectiveOn: today },
      meta,
    );
  };
  const pledges = new Map<string, DemoPledge>();
  const signers: SeededFirm[] = [];
  for (const entry of seeded.firms) {
    const firm = await firms.findById(entry.firm.id);
    if (firm?.status !== 'active' || firm.signatoryUserId !== entry.admin.id) continue;
    pledges.set(firm.id, demoPledgeOf(signers.length));
    signers.push(entry);
  }
  const sign = async (entry: SeededFirm, version: ConventionVersion): Promise<void> => {
    await signatures.sign(
      actorOf(entry.admin),
      {
        firmId: entry.firm.id,
        conventionVersionId: version.id,
        typedName: entry.admin.name,
        signerTitle: '总经理',
        consent: true,
        password: DEMO_PASSWORDS.firm_admin,
      },
      meta,
    );
  };
  const v1 = await publish(CONVENTION_V1);
  for (const entry of signers) {
    if (pledges.get(entry.firm.id) !== 'none') await sign(entry, v1);
  }
  const v2 = await publish(CONVENTION_V2);
  for (const entry of signers) {
    if (pledges.get(entry.firm.id) === 'both') await sign(entry, v2);
  }
  return { versions: [v1, v2], pledges };
}

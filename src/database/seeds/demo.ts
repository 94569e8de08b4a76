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
import { AssignmentService } from '../../modules/disputes/assignment.service.js';
import { CalendarService } from '../../modules/disputes/calendar.service.js';
import type { ComplaintCategory } from '../../modules/disputes/categories.js';
import { ConversationService } from '../../modules/disputes/conversation.service.js';
import { DEADLINE_WORKING_DAYS } from '../../modules/disputes/deadlines.service.js';
import { DisputeDeadline } from '../../modules/disputes/entities/dispute-deadline.entity.js';
import { DisputeTicket } from '../../modules/disputes/entities/dispute-ticket.entity.js';
import { DisputeTimelineEntry } from '../../modules/disputes/entities/dispute-timeline-entry.entity.js';
import { CURRENT_RULES } from '../../modules/disputes/mediation-rules.js';
import { MediatorsService } from '../../modules/disputes/mediators.service.js';
import { OverdueService } from '../../modules/disputes/overdue.service.js';
import { PerformanceService } from '../../modules/disputes/performance.service.js';
import { SessionsService } from '../../modules/disputes/sessions.service.js';
import { SettlementSigningService } from '../../modules/disputes/settlement-signing.service.js';
import { SettlementsService } from '../../modules/disputes/settlements.service.js';
import { SurveysService } from '../../modules/disputes/surveys.service.js';
import type { TicketState } from '../../modules/disputes/ticket.state.js';
import { TicketsService } from '../../modules/disputes/tickets.service.js';
import { WorkflowService } from '../../modules/disputes/workflow.service.js';
import type { UploadedFileData } from '../../modules/files/uploaded-file.js';
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
import { AppealsService } from '../../modules/ratings/appeals.service.js';
import { ConflictsService } from '../../modules/ratings/conflicts.service.js';
import { CyclesService } from '../../modules/ratings/cycles.service.js';
import { RatingCycle } from '../../modules/ratings/entities/rating-cycle.entity.js';
import { GRADES, type Grade } from '../../modules/ratings/grades.js';
import { PublicationService } from '../../modules/ratings/publication.service.js';
import { ReviewService } from '../../modules/ratings/review.service.js';
import { ScorecardsService } from '../../modules/ratings/scorecards.service.js';
import { SubmissionsService } from '../../modules/ratings/submissions.service.js';
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
  /** Filled by the disputes section, after the people and firms. */
  tickets: SeededTicket[];
  /** Filled by the ratings section: its cycles, published grades and appeals. */
  ratings: SeededRatings;
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
    const result: DemoSeedResult = {
      ...staff,
      mediators,
      firms: seededFirms,
      complainants,
      tickets: [],
      ratings: { cycles: [], published: [], appeals: 0 },
    };
    return result;
  });
  await seedMembershipHistory(app, seeded);
  await seedPledges(app, seeded);
  seeded.tickets = await seedDisputes(app, seeded);
  seeded.ratings = await seedRatings(app, seeded);
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

// ---------------------------------------------------------------------------------------------
// Part 4: complaints and mediation, through the disputes services.

/** Request facts the services record with each step (audit and signatures). */
const META = { ip: null, userAgent: VIA, requestId: null };

/** What seedDisputes left behind: each demo complaint by its key, with its number and state. */
export interface SeededTicket {
  key: DemoComplaintKey;
  id: string;
  number: string | null;
  state: TicketState;
}

type DemoComplaintKey =
  | 'overdue'
  | 'closed'
  | 'settled'
  | 'mediating'
  | 'failed'
  | 'withdrawn'
  | 'rejected'
  | 'offered'
  | 'filed'
  | 'draft';

interface DemoComplaint {
  key: DemoComplaintKey;
  /** Index into DEMO_COMPLAINANTS (0 is the demo login complainant@...). */
  complainant: number;
  /** The respondent's slug; another signatory member when that firm is not one. */
  firm: string;
  category: ComplaintCategory;
  amount: string | null;
  facts: string;
  claim: string;
  accountRef: string;
}

/**
 * The complaints, in the order they are filed (so the first filed is SZIFA-M-<year>-000001).
 * The demo complainant (陈晓雨) has the signed settlement, the case in mediation and a draft.
 */
const DEMO_COMPLAINTS: DemoComplaint[] = [
  {
    key: 'overdue',
    complainant: 2,
    firm: 'dongmen-puhui',
    category: 'abusive_collection',
    amount: '3600.00',
    facts:
      '本人在该平台借款一笔，因失业逾期两期。催收人员多次在夜间拨打电话，并向本人通讯录中的同事和亲属发送含有侮辱性内容的短信。',
    claim: '要求平台立即停止骚扰本人亲友，书面道歉，并减免因逾期产生的罚息 3600 元。',
    accountRef: 'DM-LN-2025-118830',
  },
  {
    key: 'closed',
    complainant: 1,
    firm: 'kexing-zhitou',
    category: 'fee_dispute',
    amount: '1280.00',
    facts: '智能投顾服务到期后，平台未经本人确认自动续费一年，扣取服务费 1280 元。',
    claim: '退还自动续费扣取的服务费 1280 元。',
    accountRef: 'KX-2024-00871',
  },
  {
    key: 'settled',
    complainant: 0,
    firm: 'pengcheng-yifu',
    category: 'account_frozen',
    amount: '15800.00',
    facts:
      '本人的支付账户在一笔正常的货款收款后被冻结，余额 15800 元无法提现。客服两个月来只答复“风控审核中”，未说明理由，也未告知解冻所需材料。',
    claim: '解冻账户并将余额 15800 元提现至本人银行卡，说明冻结理由。',
    accountRef: 'PC-WALLET-8826107',
  },
  {
    key: 'mediating',
    complainant: 0,
    firm: 'fuhua-wealth',
    category: 'misleading_sales',
    amount: '50000.00',
    facts:
      '理财经理向本人推荐一款基金，称其“保本保息、年化6%”，本人据此购买 5 万元。后发现该产品为中高风险的混合型基金，现亏损约 18%。购买时未做风险测评。',
    claim: '赔偿本金损失，按购买金额 5 万元赎回。',
    accountRef: 'FH-FUND-20250412-337',
  },
  {
    key: 'failed',
    complainant: 4,
    firm: 'houhai-xinlian',
    category: 'data_leak',
    amount: '20000.00',
    facts:
      '本人在该机构查询过一次信用报告，此后陆续接到大量贷款推销电话，对方能准确说出本人的身份证号和工作单位。',
    claim: '查明信息泄露原因，删除违规共享的个人信息，赔偿精神损失 2 万元。',
    accountRef: 'HH-CR-7730021',
  },
  {
    key: 'withdrawn',
    complainant: 3,
    firm: 'yangang-pay',
    category: 'fee_dispute',
    amount: '86.50',
    facts: '跨境汇款时平台按页面显示以外的汇率结算，多收手续费和汇兑差额 86.50 元。',
    claim: '退还多收的 86.50 元。',
    accountRef: 'YG-FX-55120934',
  },
  {
    key: 'rejected',
    complainant: 2,
    firm: 'qh-tonghui',
    category: 'repayment_overdue',
    amount: '120000.00',
    facts:
      '本人通过平台购买的跨境收益凭证到期未兑付。本人已于上月向深圳国际仲裁院申请仲裁，案件已受理。',
    claim: '兑付本金 12 万元及约定收益。',
    accountRef: 'QH-TH-2023-0091',
  },
  {
    key: 'offered',
    complainant: 5,
    firm: 'qh-tonghui',
    category: 'account_frozen',
    amount: '4200.00',
    facts:
      'My cross-border payment account was frozen after I received my salary from Hong Kong. Support asked for documents twice and has not replied since I sent them.',
    claim: 'Unfreeze the account and let me withdraw the balance of 4,200 yuan.',
    accountRef: 'QT-ACC-0045512',
  },
  {
    key: 'filed',
    complainant: 1,
    firm: 'cgm-riskdata',
    category: 'data_leak',
    amount: '5000.00',
    facts: '本人从未授权该公司查询征信或采集数据，却在其风控报告中出现本人的通讯录和消费记录。',
    claim: '说明数据来源，删除本人数据，赔偿 5000 元。',
    accountRef: 'N/A',
  },
  {
    key: 'draft',
    complainant: 0,
    firm: 'minzhi-lianjin',
    category: 'other',
    amount: null,
    facts: '本人参与的供应链票据融资项目逾期后，平台以“系统升级”为由关闭了查询入口……',
    claim: '',
    accountRef: 'MZ-2025-',
  },
];

/**
 * How far back the overdue complaint was filed, at least (calendar days): further when holidays
 * would leave its firm's answer not yet late.
 */
const OVERDUE_FILED_DAYS_AGO = 14;

interface DisputeServices {
  tickets: TicketsService;
  workflow: WorkflowService;
  assignment: AssignmentService;
  mediators: MediatorsService;
  conversation: ConversationService;
  sessions: SessionsService;
  settlements: SettlementsService;
  signing: SettlementSigningService;
  performance: PerformanceService;
  surveys: SurveysService;
  overdue: OverdueService;
  calendars: CalendarService;
  tx: TransactionService;
}

/** The people of a complaint, as Actors for the services. */
interface ComplaintCast {
  complainant: User;
  firm: SeededFirm;
  mediator: User | null;
}

/**
 * Complaints in every state of the ticket workflow, each played through the disputes services
 * by the people concerned (complainant, reviewer, staff admin, mediator, firm), so that numbers,
 * clocks, timeline and audit chain are those real use produces: the mediator panel's profiles
 * (with declared affiliations), a case in mediation with messages of every visibility and a
 * session booked, a settlement signed by both parties through the signing ceremony, one
 * performed, confirmed and rated, and one complaint the firm has left unanswered past its due
 * date. Only that last one is written to directly (its dates moved into the past).
 */
export async function seedDisputes(
  app: INestApplicationContext,
  seeded: DemoSeedResult,
): Promise<SeededTicket[]> {
  const s: DisputeServices = {
    tickets: app.get(TicketsService),
    workflow: app.get(WorkflowService),
    assignment: app.get(AssignmentService),
    mediators: app.get(MediatorsService),
    conversation: app.get(ConversationService),
    sessions: app.get(SessionsService),
    settlements: app.get(SettlementsService),
    signing: app.get(SettlementSigningService),
    performance: app.get(PerformanceService),
    surveys: app.get(SurveysService),
    overdue: app.get(OverdueService),
    calendars: app.get(CalendarService),
    tx: app.get(TransactionService),
  };
  const firms = app.get(FirmsService);
  const staff = actorOf(seeded.staffAdmins[0]);
  const reviewer = actorOf(seeded.reviewers[0]);
  const [heJianguo, linXiaohong] = seeded.mediators;

  // Respondents: members whose administrator is the authorised signatory (signs settlements).
  const respondents: SeededFirm[] = [];
  for (const entry of seeded.firms) {
    const firm = await firms.findById(entry.firm.id);
    if (firm?.status === 'active' && firm.signatoryUserId === entry.admin.id)
      respondents.push(entry);
  }
  const respondent = (slug: string, n: number): SeededFirm =>
    respondents.find((f) => f.data.slug === slug) ?? respondents[n % respondents.length];

  await seedMediatorPanel(s, staff, seeded, respondent('houhai-xinlian', 4));

  const mediatorOf: Partial<Record<DemoComplaintKey, User>> = {
    closed: linXiaohong,
    settled: heJianguo,
    mediating: heJianguo,
    failed: linXiaohong,
    offered: heJianguo,
  };
  const out: SeededTicket[] = [];
  for (const [n, complaint] of DEMO_COMPLAINTS.entries()) {
    const cast: ComplaintCast = {
      complainant: seeded.complainants[complaint.complainant],
      firm: respondent(complaint.firm, n),
      mediator: mediatorOf[complaint.key] ?? null,
    };
    const id = await playComplaint(s, { staff, reviewer }, complaint, cast);
    const { ticket } = await s.tickets.find(staffOrOwner(complaint, cast, staff), id);
    out.push({ key: complaint.key, id, number: ticket.number, state: ticket.state });
  }
  // The escalation the daily job does (in-app notices and e-mails to the outbox only).
  await s.overdue.escalate(new Date());
  return out;
}

/** Staff see every filed ticket; only its author sees a draft. */
function staffOrOwner(complaint: DemoComplaint, cast: ComplaintCast, staff: Actor): Actor {
  return complaint.key === 'draft' ? actorOf(cast.complainant) : staff;
}

/**
 * Profiles for the mediator panel, created by the secretariat, with the languages and
 * specialities the mediators gave; two declare their ties with member firms, one still
 * standing (it bars them from cases against that firm) and one that ended years ago.
 */
async function seedMediatorPanel(
  s: DisputeServices,
  staff: Actor,
  seeded: DemoSeedResult,
  advised: SeededFirm,
): Promise<void> {
  const profiles: Array<{ languages: string[]; specialities: ComplaintCategory[]; bio: string }> = [
    {
      languages: ['zh', 'yue'],
      specialities: ['account_frozen', 'misleading_sales', 'fee_dispute'],
      bio: '执业律师，从事金融消费纠纷调解十二年，曾任深圳市金融消费权益保护中心调解员。',
    },
    {
      languages: ['zh', 'en'],
      specialities: ['fee_dispute', 'data_leak'],
      bio: '注册会计师，熟悉支付与理财产品的收费结构。',
    },
    {
      languages: ['zh', 'yue', 'en'],
      specialities: ['repayment_overdue', 'abusive_collection'],
      bio: '原银行合规部门负责人，现为独立调解员。',
    },
    {
      languages: ['zh'],
      specialities: ['other', 'account_frozen'],
      bio: '高校金融法教师，兼任人民调解员。',
    },
  ];
  for (const [i, mediator] of seeded.mediators.entries()) {
    await s.mediators.create(
      staff,
      { userId: mediator.id, ...profiles[i % profiles.length] },
      META,
    );
  }
  // 黄志强 still advises a member firm: he is never offered its cases.
  const huang = seeded.mediators[2];
  await s.mediators.addAffiliation(
    actorOf(huang),
    huang.id,
    { firmId: advised.firm.id, relation: 'advised', note: '担任该公司合规顾问（兼职）。' },
    META,
  );
  // 许丽 worked for a member long ago: declared, but no longer a conflict.
  const xu = seeded.mediators[3];
  await s.mediators.addAffiliation(
    staff,
    xu.id,
    {
      firmId: seeded.firms[0].firm.id,
      relation: 'employed',
      endedOn: `${beijingYear(new Date()) - 6}-06-30`,
      note: '曾任该公司法务专员。',
    },
    META,
  );
}

/** Plays one complaint as far as its key says; returns the ticket id. */
async function playComplaint(
  s: DisputeServices,
  secretariat: { staff: Actor; reviewer: Actor },
  complaint: DemoComplaint,
  cast: ComplaintCast,
): Promise<string> {
  const { staff, reviewer } = secretariat;
  const complainant = actorOf(cast.complainant);
  const firmAdmin = actorOf(cast.firm.admin);
  const firmMember = actorOf(cast.firm.members[0] ?? cast.firm.admin);
  const draft = await s.tickets.createDraft(complainant, {
    firmId: cast.firm.firm.id,
    category: complaint.category,
    amount: complaint.amount ?? '',
    facts: complaint.facts,
    claim: complaint.claim,
    contactPhone: `1380013${String(8000 + complaint.complainant).padStart(4, '0')}`,
    accountRef: complaint.accountRef,
  });
  const id = draft.id;
  if (complaint.key === 'draft') return id;
  if (complaint.key === 'mediating') {
    const scan = simplePdf([
      'ACCOUNT STATEMENT (DEMO)',
      `Account ${complaint.accountRef}`,
      'Purchase: 50,000.00 CNY; current value: 41,000.00 CNY',
      'Invented for the SZIFA platform demo; not a real document.',
    ]);
    await s.tickets.addEvidence(complainant, id, pdfUpload('基金对账单.pdf', scan));
  }
  await s.tickets.file(
    complainant,
    true,
    id,
    { consent: true, rulesVersion: CURRENT_RULES.version },
    META,
  );
  if (complaint.key === 'filed') return id;
  if (complaint.key === 'rejected') {
    await s.workflow.reject(
      reviewer,
      id,
      {
        reason: 'court_or_arbitration',
        note: '投诉人已就同一争议申请仲裁并获受理，依调解规则不予受理。仲裁结束前如需协助，可联系秘书处。',
      },
      META,
    );
    return id;
  }
  await s.workflow.accept(reviewer, id, {}, META);
  if (complaint.key === 'overdue') {
    await backdateComplaint(s, id);
    return id;
  }
  if (complaint.key === 'withdrawn') {
    await s.workflow.withdraw(
      complainant,
      id,
      { reason: '平台已主动退还多收的款项，问题已解决。' },
      META,
    );
    return id;
  }
  const mediatorUser = cast.mediator;
  if (!mediatorUser) throw new Error(`seed:demo: complaint ${complaint.key} needs a mediator`);
  const mediator = actorOf(mediatorUser);
  await s.assignment.assign(staff, id, mediator.id, undefined, META);
  if (complaint.key === 'offered') return id;
  await s.assignment.accept(mediator, id, true, undefined, META);
  await s.workflow.respond(
    firmMember,
    id,
    {
      response:
        '我司已收到投诉并核查了相关记录。我司愿意在协会调解员主持下与投诉人协商解决，具体意见将在调解中提出。',
    },
    META,
  );
  switch (complaint.key) {
    case 'mediating':
      await converse(s, id, { complainant, firm: firmAdmin, mediator });
      return id;
    case 'failed':
      await s.conversation.post(
        firmAdmin,
        id,
        {
          body: '经核查，我司系统日志中未发现投诉人信息被导出或共享的记录，不同意赔偿。',
          visibility: 'parties',
        },
        [],
        META,
      );
      await s.workflow.fail(
        mediator,
        id,
        {
          reason:
            '双方对信息泄露的事实认定分歧较大，经两次调解未能达成一致。建议投诉人通过诉讼途径解决。',
        },
        META,
      );
      return id;
    default:
      // 'settled' and 'closed': an agreement signed by both parties.
      await settle(s, id, complaint, { complainant: cast.complainant, firm: cast.firm, mediator });
      if (complaint.key === 'closed') {
        await s.performance.record(
          firmAdmin,
          id,
          '已于协议约定期限内将 1280.00 元原路退回投诉人银行卡，并关闭自动续费。',
          undefined,
          META,
        );
        await s.performance.confirm(complainant, id, undefined, META);
        await s.surveys.submit(
          complainant,
          id,
          { rating: 5, comment: '调解员很耐心，一周内就解决了，谢谢协会。' },
          META,
        );
      }
      return id;
  }
}

/**
 * The case in mediation: a message of every visibility (both parties, the mediator's internal
 * note, a caucus with each side), the complainant's contact details released to the firm, and
 * a session booked two working days from now at 14:30 Beijing time.
 */
async function converse(
  s: DisputeServices,
  id: string,
  people: { complainant: Actor; firm: Actor; mediator: Actor },
): Promise<void> {
  const { complainant, firm, mediator } = people;
  const post = async (
    actor: Actor,
    visibility: 'parties' | 'internal' | 'caucus_complainant' | 'caucus_firm',
    body: string,
    files: UploadedFileData[] = [],
  ): Promise<void> => {
    await s.conversation.post(actor, id, { body, visibility }, files, META);
  };
  await post(
    mediator,
    'parties',
    '双方好，我是本案调解员何建国。请双方在本周内提交购买时的录音录像和风险测评记录。',
  );
  await post(complainant, 'parties', '购买时理财经理只给我看了宣传单，没有做过风险测评。');
  await post(firm, 'parties', '附上投诉人签署的产品说明书确认页，我司正在调取双录资料。', [
    pdfUpload(
      '产品说明书确认页.pdf',
      simplePdf([
        'PRODUCT DISCLOSURE ACKNOWLEDGEMENT (DEMO)',
        'Risk level: R3 (medium-high)',
        'Invented for the SZIFA platform demo; not a real document.',
      ]),
    ),
  ]);
  await post(
    mediator,
    'internal',
    '内部备注：风险测评缺失基本属实，可引导机构按本金损失的较大比例补偿。',
  );
  await post(
    mediator,
    'caucus_complainant',
    '单独与您沟通：若机构提出按损失的七成补偿，您是否可以接受？',
  );
  await post(complainant, 'caucus_complainant', '如果能在一个月内到账，七成可以考虑。');
  await post(
    mediator,
    'caucus_firm',
    '单独与贵司沟通：未做风险测评在监管检查中会被认定为适当性管理缺失，建议尽早和解。',
  );
  await s.assignment.releaseContact(mediator, id, undefined, META);
  const calendar = await s.calendars.calendar();
  const sessionDay = calendar.addWorkingDays(beijingDate(new Date()), 2);
  await s.sessions.schedule(
    mediator,
    id,
    {
      startsAt: new Date(startOfBeijingDate(sessionDay).getTime() + 14.5 * 3600_000).toISOString(),
      durationMinutes: 90,
      mode: 'offline',
      place: '深圳市福田区深南大道 6008 号 协会调解室 3 号',
      note: '请投诉人携带身份证原件；机构请派有权限作出决定的负责人参加。',
    },
    META,
  );
}

/**
 * The mediator drafts and sends the agreement; the complainant signs it, then the firm's
 * authorised signatory, each with the ceremony's inputs (typed name, consent, password): the
 * second signature settles the ticket.
 */
async function settle(
  s: DisputeServices,
  id: string,
  complaint: DemoComplaint,
  people: { complainant: User; firm: SeededFirm; mediator: Actor },
): Promise<void> {
  const today = beijingDate(new Date());
  const drafted = await s.settlements.draft(
    people.mediator,
    id,
    {
      facts: complaint.facts,
      terms:
        complaint.key === 'closed'
          ? '一、被申请人退还申请人自动续费扣取的服务费 1280.00 元。\n二、被申请人关闭申请人账户的自动续费功能。\n三、双方就本争议再无其他争议。'
          : '一、被申请人于履行期限内解除申请人支付账户的冻结，并配合申请人将余额 15800.00 元提现至其本人银行卡。\n二、被申请人书面说明冻结理由。\n三、双方就本争议再无其他争议。',
      amount: complaint.amount ?? '0',
      performanceDeadline: addDays(today, complaint.key === 'closed' ? 10 : 20),
    },
    META,
  );
  await s.settlements.send(people.mediator, drafted.id, undefined, META);
  await s.signing.sign(
    actorOf(people.complainant),
    drafted.id,
    {
      typedName: people.complainant.name,
      consent: true,
      password: DEMO_PASSWORDS.complainant,
    },
    META,
  );
  await s.signing.sign(
    actorOf(people.firm.admin),
    drafted.id,
    {
      typedName: people.firm.admin.name,
      signerTitle: '总经理',
      consent: true,
      password: DEMO_PASSWORDS.firm_admin,
    },
    META,
  );
}

function pdfUpload(name: string, bytes: Buffer): UploadedFileData {
  return {
    fieldname: 'file',
    originalname: name,
    mimetype: 'application/pdf',
    size: bytes.length,
    buffer: bytes,
  };
}

/**
 * Direct writes, on purpose: the services stamp everything "now", and a complaint the firm has
 * left unanswered past its due date needs a filing in the past. The ticket's dates, its history
 * entries and its clocks (due dates recounted on the working-day calendar from the moved start)
 * move back by whole days, far enough for the firm's answer to be late today; the audit chain
 * keeps the real times it was written at.
 */
async function backdateComplaint(s: DisputeServices, id: string): Promise<void> {
  await s.tx.run(async (manager) => {
    const calendar = await s.calendars.calendar(manager);
    const today = beijingDate(new Date());
    let days = OVERDUE_FILED_DAYS_AGO;
    while (
      calendar.addWorkingDays(addDays(today, -days), DEADLINE_WORKING_DAYS.firm_response) >= today
    )
      days += 1;
    const back = (at: Date | null): Date | null =>
      at === null ? null : new Date(new Date(at).getTime() - days * 86_400_000);
    const ticket = await manager.findOneByOrFail(DisputeTicket, { id });
    await manager.update(
      DisputeTicket,
      { id },
      {
        createdAt: back(ticket.createdAt) ?? ticket.createdAt,
        filedAt: back(ticket.filedAt),
        consentAt: back(ticket.consentAt),
        triagedAt: back(ticket.triagedAt),
      },
    );
    for (const entry of await manager.findBy(DisputeTimelineEntry, { ticketId: id })) {
      await manager.update(
        DisputeTimelineEntry,
        { id: entry.id },
        { at: back(entry.at) ?? entry.at },
      );
    }
    for (const clock of await manager.findBy(DisputeDeadline, { ticketId: id })) {
      const startedOn = addDays(clock.startedOn, -days);
      await manager.update(
        DisputeDeadline,
        { id: clock.id },
        {
          startedOn,
          dueOn: calendar.addWorkingDays(startedOn, DEADLINE_WORKING_DAYS[clock.kind]),
          createdAt: back(clock.createdAt) ?? clock.createdAt,
          metAt: back(clock.metAt),
        },
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Part 5: credit ratings, through the ratings services.

interface RatingServices {
  scorecards: ScorecardsService;
  cycles: CyclesService;
  submissions: SubmissionsService;
  review: ReviewService;
  publication: PublicationService;
  appeals: AppealsService;
  conflicts: ConflictsService;
  tx: TransactionService;
}

/** What the ratings section left: its cycles and the grades published in the closed one. */
export interface SeededRatings {
  cycles: Array<{ id: string; nameZh: string; state: RatingCycle['state'] }>;
  published: Array<{ firmId: string; grade: Grade }>;
  appeals: number;
}

/** A firm's figures for the default scorecard (v1), as its administrator types them. */
type RatingFigures = Record<string, string>;

const figures = (
  paidInCapital: string,
  capitalAdequacy: string,
  overdue: string,
  badDebt: string,
  custody: 'yes' | 'no',
  disclosure: string,
  incidents: string,
  customers: string,
): RatingFigures => ({
  paid_in_capital: paidInCapital,
  capital_adequacy: capitalAdequacy,
  overdue_rate: overdue,
  bad_debt_rate: badDebt,
  depository_custody: custody,
  disclosure_completeness: disclosure,
  compliance_incidents: incidents,
  customers,
});

/** The closed cycle's six firms, strongest first; the grades follow from the scorecard. */
const CLOSED_CYCLE_FIGURES: RatingFigures[] = [
  figures('120000', '18.5', '0.8', '0.3', 'yes', '98', '0', '860000'),
  figures('60000', '13.2', '2.5', '0.9', 'yes', '90', '1', '420000'),
  figures('20000', '11', '4.2', '1.8', 'yes', '80', '0', '150000'),
  figures('8000', '9', '7.5', '3.5', 'no', '72', '2', '36000'),
  figures('30000', '12.5', '2', '1.2', 'yes', '88', '3', '210000'),
  figures('50000', '15', '1', '0.5', 'yes', '95', '0', '300000'),
];

/** Position (in CLOSED_CYCLE_FIGURES) of the firms with a story in the closed cycle. */
const RATED = { conflicted: 1, returned: 3, pendingAppeal: 3, adjusted: 4 } as const;

/**
 * Two cycles played through the ratings services by the people concerned, each action audited
 * as in real use. Reviewer 陈静 declares a link with one member (so 周敏, a staff admin, is the
 * second pair of eyes on it). Last year's cycle: six active members submit (one is returned for
 * a correction and resubmits), 李俊峰 proposes (once lowering the computed grade with a
 * rationale), a second reviewer confirms, 王海燕 publishes; one firm appeals and 周敏, who took
 * no part in the decision, changes its grade; another firm's appeal is pending. This year's
 * cycle is open: two partial drafts, one submission awaiting review, one proposal awaiting its
 * second reviewer.
 */
export async function seedRatings(
  app: INestApplicationContext,
  seeded: DemoSeedResult,
): Promise<SeededRatings> {
  const s: RatingServices = {
    scorecards: app.get(ScorecardsService),
    cycles: app.get(CyclesService),
    submissions: app.get(SubmissionsService),
    review: app.get(ReviewService),
    publication: app.get(PublicationService),
    appeals: app.get(AppealsService),
    conflicts: app.get(ConflictsService),
    tx: app.get(TransactionService),
  };
  const [wang, zhou] = seeded.staffAdmins.map(actorOf);
  const [li, chen] = seeded.reviewers.map(actorOf);
  const today = beijingDate(new Date());
  const year = beijingYear(new Date());
  const [scorecard] = await s.scorecards.published();
  if (!scorecard) throw new Error('seed:demo: no published rating scorecard');
  const activeIds = new Set(await s.cycles.activeFirmIds());
  const active = seeded.firms.filter((f) => activeIds.has(f.firm.id));
  if (active.length < CLOSED_CYCLE_FIGURES.length + 1)
    throw new Error('seed:demo: too few active member firms for the rating cycles');
  const rated = active.slice(0, CLOSED_CYCLE_FIGURES.length);
  const admin = (entry: SeededFirm): Actor => actorOf(entry.admin);

  await s.conflicts.declare(
    chen,
    { firmId: rated[RATED.conflicted].firm.id, note: '本人配偶在该公司担任风控总监。' },
    META,
  );

  // Last year's cycle. The services only create and open a cycle whose window has not ended,
  // so it is created with a window ending today and moved into the past once reviewed.
  const closed = await s.cycles.create(
    wang,
    {
      nameZh: `${year - 1} 年度评级`,
      nameEn: `${year - 1} annual rating`,
      scorecardId: scorecard.id,
      periodFrom: `${year - 1}-01-01`,
      periodTo: `${year - 1}-12-31`,
      opensOn: today,
      closesOn: today,
    },
    META,
  );
  await s.cycles.open(wang, closed.id, META);
  const submissionIds: string[] = [];
  for (const [n, entry] of rated.entries()) {
    await s.submissions.saveValues(
      admin(entry),
      closed.id,
      CLOSED_CYCLE_FIGURES[n],
      undefined,
      META,
    );
    const submitted = await s.submissions.submit(admin(entry), closed.id, META);
    submissionIds.push(submitted.id);
  }
  // A correction: the overdue rate did not match the audited statements.
  const returnedId = submissionIds[RATED.returned];
  await s.review.returnForCorrection(
    li,
    returnedId,
    { comment: '申报的逾期率 7.5% 与年度审计报告附注（6.8%）不一致，请核对后更正并重新提交。' },
    META,
  );
  await s.submissions.saveValues(
    admin(rated[RATED.returned]),
    closed.id,
    { overdue_rate: '6.8' },
    undefined,
    META,
  );
  await s.submissions.submit(admin(rated[RATED.returned]), closed.id, META);

  const published: SeededRatings['published'] = [];
  const ratingIds: string[] = [];
  for (const [n, id] of submissionIds.entries()) {
    const view = await s.review.view(li, id);
    const computed = view.computedGrade ?? 'C';
    const adjusted = n === RATED.adjusted ? lowerGrade(computed) : computed;
    await s.review.propose(
      li,
      id,
      {
        grade: adjusted,
        rationale:
          adjusted === computed
            ? null
            : '报告期内发生 3 次合规事件，其中 1 次为监管部门行政处罚（违规催收），下调一级。',
      },
      META,
    );
    await s.review.confirm(n === RATED.conflicted ? zhou : chen, id, {}, META);
    const rating = await s.publication.publish(wang, id, {}, META);
    published.push({ firmId: rating.firmId, grade: rating.grade });
    ratingIds.push(rating.id);
  }

  // Appeals within the window: one decided by 周敏 (no part in the decision), one pending.
  const decided = await s.appeals.file(
    admin(rated[RATED.adjusted]),
    ratingIds[RATED.adjusted],
    {
      reasons:
        '下调所依据的行政处罚系针对外包催收机构，我司已终止合作并完成整改，监管部门已出具整改验收意见，请求恢复评分对应的等级。',
    },
    [
      pdfUpload(
        '整改验收意见.pdf',
        simplePdf([
          'RECTIFICATION ACCEPTANCE (DEMO)',
          rated[RATED.adjusted].data.nameEn,
          'Invented for the SZIFA platform demo; not a real document.',
        ]),
      ),
    ],
    META,
  );
  const original = published[RATED.adjusted].grade;
  await s.appeals.decide(
    zhou,
    decided.id,
    {
      outcome: 'changed',
      grade: raiseGrade(original),
      rationale: '经核实，处罚对象为外包机构且已整改验收，不再作为下调因素，按评分结果确定等级。',
    },
    META,
  );
  await s.appeals.file(
    admin(rated[RATED.pendingAppeal]),
    ratingIds[RATED.pendingAppeal],
    {
      reasons:
        '我司已于报告期后完成银行资金存管上线，客户资金已全部由存管银行管理，请求在评级中予以考虑。',
    },
    [],
    META,
  );
  await backdateCycleWindow(s, closed.id, year);
  // The daily job closes the cycle whose window has passed, as it would have.
  await s.cycles.closeExpired(new Date());

  // This year's cycle, open for another three weeks.
  const open = await s.cycles.create(
    zhou,
    {
      nameZh: `${year} 年度评级`,
      nameEn: `${year} annual rating`,
      scorecardId: scorecard.id,
      periodFrom: `${year}-01-01`,
      periodTo: `${year}-12-31`,
      opensOn: addDays(today, -7),
      closesOn: addDays(today, 21),
    },
    META,
  );
  await s.cycles.open(zhou, open.id, META);
  const [partialA, submittedFirm, proposedFirm] = rated;
  const partialB = active[rated.length];
  await s.submissions.saveValues(
    admin(partialA),
    open.id,
    { paid_in_capital: '120000', capital_adequacy: '17.8', customers: '910000' },
    undefined,
    META,
  );
  await s.submissions.saveValues(
    admin(partialB),
    open.id,
    { paid_in_capital: '15000', depository_custody: 'yes' },
    undefined,
    META,
  );
  const awaiting = await s.submissions.saveValues(
    admin(submittedFirm),
    open.id,
    CLOSED_CYCLE_FIGURES[RATED.conflicted],
    undefined,
    META,
  );
  await s.submissions.uploadDocument(
    admin(submittedFirm),
    awaiting.id,
    pdfUpload(
      `${year - 1}年度审计报告.pdf`,
      simplePdf([
        `AUDITED FINANCIAL STATEMENTS ${year - 1} (DEMO)`,
        submittedFirm.data.nameEn,
        'Invented for the SZIFA platform demo; not a real document.',
      ]),
    ),
    META,
  );
  await s.submissions.submit(admin(submittedFirm), open.id, META);
  await s.submissions.saveValues(
    admin(proposedFirm),
    open.id,
    CLOSED_CYCLE_FIGURES[2],
    undefined,
    META,
  );
  const proposal = await s.submissions.submit(admin(proposedFirm), open.id, META);
  const { computedGrade } = await s.review.view(li, proposal.id);
  await s.review.propose(li, proposal.id, { grade: computedGrade ?? 'C' }, META);

  const cycles: SeededRatings['cycles'] = [];
  for (const id of [closed.id, open.id]) {
    const cycle = await s.cycles.get(id);
    cycles.push({ id: cycle.id, nameZh: cycle.nameZh, state: cycle.state });
  }
  return { cycles, published, appeals: 2 };
}

/** One grade lower (C stays C), for a reviewer's adjustment. */
function lowerGrade(grade: Grade): Grade {
  return GRADES[Math.min(GRADES.indexOf(grade) + 1, GRADES.length - 1)];
}

/** One grade higher (AAA stays AAA). */
function raiseGrade(grade: Grade): Grade {
  return GRADES[Math.max(GRADES.indexOf(grade) - 1, 0)];
}

/**
 * A direct write, on purpose: no service moves a cycle's window into the past. Last year's
 * cycle gets the window it would have had (March, or the month before last when the demo runs
 * earlier in the year), its creation a week before and its opening time; submissions, review steps, publications and the
 * audit chain keep the real times they were written at.
 */
async function backdateCycleWindow(s: RatingServices, id: string, year: number): Promise<void> {
  const today = beijingDate(new Date());
  const march = `${year}-03-31`;
  const closesOn = march < addDays(today, -30) ? march : addDays(today, -30);
  const opensOn = addDays(closesOn, -30);
  await s.tx.run(async (manager) => {
    await manager.update(
      RatingCycle,
      { id },
      {
        opensOn,
        closesOn,
        createdAt: officeHours(addDays(opensOn, -7)),
        openedAt: officeHours(opensOn),
      },
    );
  });
}

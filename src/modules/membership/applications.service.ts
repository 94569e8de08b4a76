import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isStaff, maySeeFirm } from '../../common/auth/roles.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { addDays, beijingDate, beijingMonth, beijingYear } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import {
  APPLICATION_STATES,
  availableApplicationActions,
  checkApplicationTransition,
  type ApplicationAction,
  type ApplicationState,
} from './application.state.js';
import { assertConventionSigned, ConventionSignatureCheck } from './convention-check.js';
import { proratedFeeFen, formatFen } from './dues.js';
import { DuesService } from './dues.service.js';
import { ApplicationStep } from './entities/application-step.entity.js';
import { FirmCategory } from './entities/firm-category.entity.js';
import { FirmStatusEvent } from './entities/firm-status-event.entity.js';
import { Firm, type TierCode } from './entities/firm.entity.js';
import type { Invoice } from './entities/invoice.entity.js';
import { MembershipApplication } from './entities/membership-application.entity.js';
import { FirmProfileService } from './firm-profile.service.js';
import { MembershipError } from './membership.errors.js';

/** States in which an application is still open: a firm may have only one of these. */
export const OPEN_STATES: readonly ApplicationState[] = APPLICATION_STATES.filter(
  (s) => s !== 'approved' && s !== 'rejected',
);
/** States in which the firm may still change what it asks for. */
export const EDITABLE_STATES: readonly ApplicationState[] = ['draft', 'changes_requested'];
/** What the staff queue shows when no state is chosen: everything a firm has sent in. */
export const QUEUE_DEFAULT_STATES: readonly ApplicationState[] = APPLICATION_STATES.filter(
  (s) => s !== 'draft',
);

export const APPLICATION_PAGE_MAX = 100;
export const APPLICATION_PAGE_DEFAULT = 20;
/** Days a new member has to pay its first invoice. */
export const INITIAL_INVOICE_DUE_DAYS = 30;

const DAY_MS = 86_400_000;

/** Actions whose outcome depends on the firm's record being complete. */
const NEEDS_COMPLETE: readonly ApplicationAction[] = ['submit', 'resubmit', 'approve'];

const AUDIT_ACTION: Record<ApplicationAction, string> = {
  submit: 'membership.application_submitted',
  start_review: 'membership.application_review_started',
  request_changes: 'membership.application_changes_requested',
  resubmit: 'membership.application_resubmitted',
  approve: 'membership.application_approved',
  reject: 'membership.application_rejected',
};

/** The firm is told by e-mail and in-app notice when staff decide something it must act on. */
const FIRM_NOTICE: Partial<
  Record<ApplicationAction, { template: string; titleZh: string; titleEn: string }>
> = {
  request_changes: {
    template: 'application-changes-requested',
    titleZh: '协会要求补正入会申请材料',
    titleEn: 'The association asks for changes to your membership application',
  },
  approve: {
    template: 'application-approved',
    titleZh: '入会申请已获批准，首期会费账单已开具',
    titleEn: 'Membership approved; your first dues invoice has been raised',
  },
  reject: {
    template: 'application-rejected',
    titleZh: '入会申请未获批准',
    titleEn: 'Your membership application was not approved',
  },
};

export interface TransitionInput {
  action: ApplicationAction;
  comment?: string | null;
  version: number;
}

export interface ApplicationFilters {
  state?: ApplicationState;
  district?: string;
  category?: string;
  /** Submitted at least this many days ago. */
  minAgeDays?: number;
  /** Submitted at most this many days ago. */
  maxAgeDays?: number;
  limit?: number;
  offset?: number;
}

export interface ApplicationView {
  id: string;
  firmId: string;
  firmName: string;
  firmCreditCode: string;
  district: string;
  state: ApplicationState;
  requestedTier: TierCode;
  submittedAt: string | null;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Whole days since the first submission; null for a draft. */
  ageDays: number | null;
  version: number;
}

export interface StepView {
  id: string;
  action: string;
  fromState: string;
  toState: string;
  actorId: string;
  actorRole: string;
  comment: string | null;
  at: string;
}

export interface ApplicationDetail extends ApplicationView {
  steps: StepView[];
  /** What the caller may do now (the buttons a page offers). */
  availableActions: ApplicationAction[];
}

export interface ApplicationList {
  items: ApplicationView[];
  total: number;
  limit: number;
  offset: number;
}

export interface TransitionResult {
  application: MembershipApplication;
  /** The first dues invoice, when the action was an approval. */
  invoice: Invoice | null;
}

export function ageDays(submittedAt: Date | null, now: Date): number | null {
  if (!submittedAt) return null;
  return Math.max(Math.floor((now.getTime() - submittedAt.getTime()) / DAY_MS), 0);
}

export function toApplicationView(
  app: MembershipApplication,
  firm: Pick<Firm, 'name' | 'creditCode' | 'district'> | null,
  now = new Date(),
): ApplicationView {
  return {
    id: app.id,
    firmId: app.firmId,
    firmName: firm?.name ?? '',
    firmCreditCode: firm?.creditCode ?? '',
    district: firm?.district ?? '',
    state: app.state,
    requestedTier: app.requestedTier,
    submittedAt: app.submittedAt?.toISOString() ?? null,
    decidedAt: app.decidedAt?.toISOString() ?? null,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
    ageDays: ageDays(app.submittedAt, now),
    version: app.version,
  };
}

export function toStepView(step: ApplicationStep): StepView {
  return {
    id: step.id,
    action: step.action,
    fromState: step.fromState,
    toState: step.toState,
    actorId: step.actorId,
    actorRole: step.actorRole,
    comment: step.comment,
    at: step.at.toISOString(),
  };
}

/** A stable 48-bit advisory-lock key per firm, for "one open application per firm". */
function firmLockKey(firmId: string): number {
  return parseInt(firmId.replace(/-/g, '').slice(0, 12), 16);
}

/**
 * The membership application workflow (application.state.ts is its table). Every step is a
 * versioned update, an application_steps row and an audit event in one transaction; approval
 * also admits the firm and raises its first, pro-rated dues invoice in that same transaction.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    @InjectRepository(MembershipApplication)
    private readonly applications: Repository<MembershipApplication>,
    @InjectRepository(ApplicationStep) private readonly steps: Repository<ApplicationStep>,
    @InjectRepository(Firm) private readonly firms: Repository<Firm>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
    private readonly profiles: FirmProfileService,
    private readonly conventions: ConventionSignatureCheck,
    private readonly dues: DuesService,
  ) {}

  /** A firm administrator starts its firm's application (a draft). */
  async create(
    actor: Actor,
    input: { requestedTier: TierCode },
    meta: Partial<RequestMeta> = {},
  ): Promise<MembershipApplication> {
    if (actor.role !== 'firm_admin' || !actor.firmId)
      throw new MembershipError('APPLICATION_ROLE_NOT_ALLOWED');
    const firmId = actor.firmId;
    return this.tx.run(async (manager) => {
      // Two administrators pressing "apply" at once must not open two applications.
      await this.tx.lock(manager, firmLockKey(firmId));
      const firm = await manager.findOneBy(Firm, { id: firmId });
      if (!firm) throw new MembershipError('FIRM_NOT_FOUND');
      if (firm.status !== 'applicant') throw new MembershipError('APPLICATION_FIRM_NOT_APPLICANT');
      const open = await manager.findOneBy(MembershipApplication, {
        firmId,
        state: In([...OPEN_STATES]),
      });
      if (open) throw new MembershipError('APPLICATION_ALREADY_OPEN', { applicationId: open.id });
      await this.dues.tier(input.requestedTier, manager);
      const now = new Date();
      const app = manager.create(MembershipApplication, {
        id: randomUUID(),
        firmId,
        state: 'draft',
        requestedTier: input.requestedTier,
        submittedAt: null,
        decidedAt: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      await manager.insert(MembershipApplication, app);
      await this.audit.record(manager, {
        actor,
        action: 'membership.application_created',
        subjectType: 'membership_application',
        subjectId: app.id,
        summary: { firmId, requestedTier: app.requestedTier },
        meta,
      });
      return app;
    });
  }

  /** The firm changes the tier it asks for, while the application is in its hands. */
  async update(
    actor: Actor,
    id: string,
    input: { requestedTier: TierCode; version: number },
    meta: Partial<RequestMeta> = {},
  ): Promise<MembershipApplication> {
    const seen = await this.findVisible(actor, id);
    if (actor.role !== 'firm_admin') throw new MembershipError('APPLICATION_ROLE_NOT_ALLOWED');
    if (seen.version !== input.version) throw new CommonError('CONFLICT');
    return this.tx.run(async (manager) => {
      const app = await manager.findOneBy(MembershipApplication, { id });
      if (!app) throw new MembershipError('APPLICATION_NOT_FOUND');
      if (app.version !== input.version) throw new CommonError('CONFLICT');
      if (!EDITABLE_STATES.includes(app.state))
        throw new MembershipError('APPLICATION_NOT_EDITABLE', { state: app.state });
      await this.dues.tier(input.requestedTier, manager);
      const updatedAt = new Date();
      await updateVersioned(manager, MembershipApplication, id, input.version, {
        requestedTier: input.requestedTier,
        updatedAt,
      });
      await this.audit.record(manager, {
        actor,
        action: 'membership.application_updated',
        subjectType: 'membership_application',
        subjectId: id,
        summary: { requestedTier: { from: app.requestedTier, to: input.requestedTier } },
        meta,
      });
      return {
        ...app,
        requestedTier: input.requestedTier,
        updatedAt,
        version: app.version + 1,
      };
    });
  }

  /**
   * Takes one step of the workflow. Refusals, in the order they are checked: not visible (404),
   * stale version (409 CONFLICT), role (403), state (409 with the current state), missing
   * comment (400), incomplete firm record (422 with the list), convention unsigned (409).
   * `now` exists for tests of the membership calendar; callers leave it out.
   */
  async transition(
    actor: Actor,
    id: string,
    input: TransitionInput,
    meta: Partial<RequestMeta> = {},
    now = new Date(),
  ): Promise<TransitionResult> {
    const seen = await this.findVisible(actor, id);
    if (seen.version !== input.version) throw new CommonError('CONFLICT');
    const check = checkApplicationTransition(seen.state, input.action, actor.role);
    if (!check.ok) throw this.refusal(check.reason, seen.state, input.action);
    const comment = input.comment?.trim() || null;
    if (check.needsComment && !comment) throw new MembershipError('APPLICATION_COMMENT_REQUIRED');

    // Read before the transaction: these use their own connections, and a transaction must not
    // wait for a second connection from a pool its peers may be holding.
    if (NEEDS_COMPLETE.includes(input.action)) {
      const problems = await this.profiles.completenessProblems(seen.firmId);
      if (problems.length > 0) throw new MembershipError('APPLICATION_INCOMPLETE', { problems });
    }
    if (input.action === 'approve') await assertConventionSigned(this.conventions, seen.firmId);
    const notice = FIRM_NOTICE[input.action];

    return this.tx.run(async (manager) => {
      const app = await manager.findOneBy(MembershipApplication, { id });
      if (!app) throw new MembershipError('APPLICATION_NOT_FOUND');
      if (app.version !== input.version) throw new CommonError('CONFLICT');
      const again = checkApplicationTransition(app.state, input.action, actor.role);
      if (!again.ok) throw this.refusal(again.reason, app.state, input.action);
      const to = again.to;

      const changes: Partial<MembershipApplication> = { state: to, updatedAt: now };
      if (input.action === 'submit' && !app.submittedAt) changes.submittedAt = now;
      if (to === 'approved' || to === 'rejected') changes.decidedAt = now;
      // The gate: of two staff acting at once, only one gets past this line.
      await updateVersioned(manager, MembershipApplication, id, input.version, changes);
      await manager.insert(ApplicationStep, {
        id: randomUUID(),
        applicationId: id,
        action: input.action,
        fromState: app.state,
        toState: to,
        actorId: actor.id,
        actorRole: actor.role,
        comment,
        at: now,
      });

      const firm = await manager.findOneBy(Firm, { id: app.firmId });
      if (!firm) throw new MembershipError('FIRM_NOT_FOUND');
      let invoice: Invoice | null = null;
      if (to === 'approved') invoice = await this.admit(manager, actor, app, firm, meta, now);

      await this.audit.record(manager, {
        actor,
        action: AUDIT_ACTION[input.action],
        subjectType: 'membership_application',
        subjectId: id,
        summary: {
          firmId: app.firmId,
          action: input.action,
          state: { from: app.state, to },
          comment,
          ...(invoice ? { invoiceNumber: invoice.number } : {}),
        },
        meta,
      });
      if (to === 'approved') {
        await this.audit.record(manager, {
          actor,
          action: 'membership.firm_activated',
          subjectType: 'firm',
          subjectId: firm.id,
          summary: {
            status: { from: firm.status, to: 'active' },
            tier: app.requestedTier,
            memberSince: beijingDate(now),
            applicationId: id,
          },
          meta,
        });
        await this.events.emit(manager, 'membership.activated', {
          firmId: firm.id,
          year: beijingYear(now),
        });
      }
      if (to === 'rejected') {
        await updateVersioned(manager, Firm, firm.id, firm.version, {
          status: 'rejected',
          updatedAt: now,
        });
        await this.audit.record(manager, {
          actor,
          action: 'membership.firm_rejected',
          subjectType: 'firm',
          subjectId: firm.id,
          summary: { status: { from: firm.status, to: 'rejected' }, applicationId: id },
          meta,
        });
      }
      if (notice) {
        for (const admin of await this.users.firmAdmins(manager, firm.id)) {
          await this.notifications.queueEmail(manager, {
            to: admin.email,
            template: notice.template,
            locale: admin.locale,
            context: {
              name: admin.name,
              firmName: firm.name,
              comment: comment ?? '',
              invoiceNumber: invoice?.number ?? '',
              invoiceAmount: invoice ? formatFen(invoice.amountFen) : '',
              invoiceDueOn: invoice?.dueOn ?? '',
              invoicePath: invoice ? `/firm/invoices/${invoice.id}` : '',
            },
          });
          await this.notifications.notify(manager, {
            userId: admin.id,
            kind: `application.${input.action}`,
            titleZh: notice.titleZh,
            titleEn: notice.titleEn,
            link: '/firm/application',
          });
        }
      }
      return { application: { ...app, ...changes, version: app.version + 1 }, invoice };
    });
  }

  /**
   * Admission: the firm becomes an active member of the requested tier from today (Beijing),
   * a public status event is written, and the first invoice covers the rest of the year.
   */
  private async admit(
    manager: EntityManager,
    actor: Actor,
    app: MembershipApplication,
    firm: Firm,
    meta: Partial<RequestMeta>,
    now: Date,
  ): Promise<Invoice> {
    if (firm.status !== 'applicant') throw new MembershipError('APPLICATION_FIRM_NOT_APPLICANT');
    const today = beijingDate(now);
    await updateVersioned(manager, Firm, firm.id, firm.version, {
      status: 'active',
      tier: app.requestedTier,
      memberSince: today,
      updatedAt: now,
    });
    await manager.insert(FirmStatusEvent, {
      id: randomUUID(),
      firmId: firm.id,
      status: 'active',
      reasonCategory: 'admitted',
      reason: null,
      decisionRef: null,
      until: null,
      effectiveAt: now,
      actorId: actor.id,
    });
    const tier = await this.dues.tier(app.requestedTier, manager);
    return this.dues.raiseInvoice(manager, {
      firmId: firm.id,
      year: beijingYear(now),
      kind: 'initial',
      tier: tier.code,
      amountFen: proratedFeeFen(tier.annualFeeFen, beijingMonth(now)),
      dueOn: addDays(today, INITIAL_INVOICE_DUE_DAYS),
      actor,
      meta,
      issuedAt: now,
    });
  }

  private refusal(
    reason: 'ROLE_NOT_ALLOWED' | 'STATE_NOT_ALLOWED',
    state: ApplicationState,
    action: ApplicationAction,
  ): MembershipError {
    return reason === 'ROLE_NOT_ALLOWED'
      ? new MembershipError('APPLICATION_ROLE_NOT_ALLOWED', { action })
      : new MembershipError('APPLICATION_TRANSITION_NOT_ALLOWED', { state, action });
  }

  /** An application the actor may see: staff any, firm users their firm's; else "not found". */
  async findVisible(
    actor: Pick<Actor, 'role' | 'firmId'>,
    id: string,
  ): Promise<MembershipApplication> {
    const app = await this.applications.findOneBy({ id });
    if (!app || !maySeeFirm(actor, app.firmId)) throw new MembershipError('APPLICATION_NOT_FOUND');
    return app;
  }

  /** One application with its history and what the actor may do with it. */
  async detail(
    actor: Pick<Actor, 'role' | 'firmId'>,
    id: string,
    now = new Date(),
  ): Promise<ApplicationDetail> {
    const app = await this.findVisible(actor, id);
    const [firm, steps] = await Promise.all([
      this.firms.findOneBy({ id: app.firmId }),
      this.stepsOf(app.id),
    ]);
    return {
      ...toApplicationView(app, firm, now),
      steps: steps.map(toStepView),
      availableActions: availableApplicationActions(app.state, actor.role),
    };
  }

  stepsOf(applicationId: string): Promise<ApplicationStep[]> {
    return this.steps.find({ where: { applicationId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** The firm's newest application (open or decided), or null when it never applied. */
  latestForFirm(firmId: string): Promise<MembershipApplication | null> {
    return this.applications.findOne({
      where: { firmId },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
  }

  /**
   * The review queue (staff: every firm; firm users: their own), oldest submission first, with
   * the filters the queue page offers. Offset-paginated, at most 100 a page.
   */
  async list(
    actor: Pick<Actor, 'role' | 'firmId'>,
    filters: ApplicationFilters,
    now = new Date(),
  ): Promise<ApplicationList> {
    const limit = Math.min(
      Math.max(filters.limit ?? APPLICATION_PAGE_DEFAULT, 1),
      APPLICATION_PAGE_MAX,
    );
    const offset = Math.max(filters.offset ?? 0, 0);
    const qb = this.applications.createQueryBuilder('a').innerJoin(Firm, 'f', 'f.id = a.firmId');
    if (!isStaff(actor.role)) {
      // Anyone else sees only their own firm's (and a user with no firm sees nothing).
      qb.andWhere('a.firmId = :own', { own: actor.firmId ?? '' });
    }
    if (filters.state) qb.andWhere('a.state = :state', { state: filters.state });
    else if (isStaff(actor.role))
      qb.andWhere('a.state IN (:...states)', { states: [...QUEUE_DEFAULT_STATES] });
    if (filters.district) qb.andWhere('f.district = :district', { district: filters.district });
    if (filters.category) {
      qb.innerJoin(FirmCategory, 'c', 'c.firmId = a.firmId AND c.category = :category', {
        category: filters.category,
      });
    }
    if (filters.minAgeDays !== undefined) {
      qb.andWhere('a.submittedAt <= :oldest', {
        oldest: new Date(now.getTime() - filters.minAgeDays * DAY_MS),
      });
    }
    if (filters.maxAgeDays !== undefined) {
      qb.andWhere('a.submittedAt > :newest', {
        newest: new Date(now.getTime() - (filters.maxAgeDays + 1) * DAY_MS),
      });
    }
    const [rows, total] = await qb
      .orderBy('a.submittedAt', 'ASC')
      .addOrderBy('a.createdAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    const firmIds = [...new Set(rows.map((r) => r.firmId))];
    const firms = firmIds.length ? await this.firms.findBy({ id: In(firmIds) }) : [];
    const byId = new Map(firms.map((f) => [f.id, f]));
    return {
      items: rows.map((r) => toApplicationView(r, byId.get(r.firmId) ?? null, now)),
      total,
      limit,
      offset,
    };
  }

  /** How many applications are in each state (the queue's tabs); every state present. */
  async countsByState(): Promise<Record<ApplicationState, number>> {
    const rows = await this.applications
      .createQueryBuilder('a')
      .select('a.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .groupBy('a.state')
      .getRawMany<{ state: ApplicationState; count: string | number }>();
    const counts = Object.fromEntries(APPLICATION_STATES.map((s) => [s, 0])) as Record<
      ApplicationState,
      number
    >;
    for (const row of rows) if (row.state in counts) counts[row.state] = Number(row.count);
    return counts;
  }
}

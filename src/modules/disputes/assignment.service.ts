import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { translate } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { DeadlinesService } from './deadlines.service.js';
import { DisputesError } from './disputes.errors.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { MediatorChallenge } from './entities/mediator-challenge.entity.js';
import { MediatorProfile } from './entities/mediator-profile.entity.js';
import { MediatorsService } from './mediators.service.js';
import { isActive } from './ticket-access.js';
import { TicketLookupService } from './ticket-lookup.service.js';
import { ticketPath } from './ticket-page-actions.js';
import { TicketWorkflowService } from './ticket-workflow.service.js';
import {
  ASSIGNABLE_STATES,
  checkAssignmentTransition,
  OPEN_STATES,
  type AssignmentAction,
} from './ticket.state.js';
import type { TicketParty } from './visibility.js';
import { WorkflowNotices } from './workflow-notices.js';

export interface AssignmentView {
  id: string;
  number: string | null;
  assignment: DisputeTicket['assignment'];
  mediatorUserId: string | null;
  contactReleasedAt: string | null;
  version: number;
}

export interface PoolItem {
  id: string;
  number: string | null;
  state: DisputeTicket['state'];
  category: DisputeTicket['category'];
  firmId: string | null;
  filedAt: string | null;
  version: number;
}

export function toAssignmentView(ticket: DisputeTicket): AssignmentView {
  return {
    id: ticket.id,
    number: ticket.number,
    assignment: ticket.assignment,
    mediatorUserId: ticket.mediatorUserId,
    contactReleasedAt: ticket.contactReleasedAt?.toISOString() ?? null,
    version: ticket.version,
  };
}

/** Pure: the least-loaded candidate, ties broken by user id. */
export function leastLoaded(candidates: readonly string[], load: ReadonlyMap<string, number>) {
  return (
    [...candidates].sort(
      (a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a.localeCompare(b),
    )[0] ?? null
  );
}

const POOL_LIMIT = 100;

/**
 * The mediator's assignment to a ticket (ticket.state.ts, assignment sub-machine): staff offer
 * it to one mediator (by hand or to the least-loaded eligible one) or open it to every eligible
 * mediator; a mediator accepts (confirming no conflict) or declines; staff release it. Every
 * change goes through TicketWorkflowService.update: version-checked (409), audited, in the
 * timeline. The mediator-acceptance clock runs from the offer until acceptance.
 */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly workflow: TicketWorkflowService,
    private readonly deadlines: DeadlinesService,
    private readonly mediators: MediatorsService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly notices: WorkflowNotices,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async assign(
    actor: Actor,
    ticketId: string,
    mediatorUserId: string,
    expectedVersion?: number,
    meta?: RequestMeta,
  ): Promise<AssignmentView> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        ticketId,
        expectedVersion,
      );
      this.check(ticket, 'offer', party);
      await this.assertEligible(manager, ticket, mediatorUserId);
      return toAssignmentView(
        await this.offer(manager, actor, ticket, party, mediatorUserId, 'manual', meta),
      );
    });
  }

  /** Offers the ticket to the least-loaded eligible mediator (ties: lowest user id). */
  async autoAssign(
    actor: Actor,
    ticketId: string,
    expectedVersion?: number,
    meta?: RequestMeta,
  ): Promise<AssignmentView> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        ticketId,
        expectedVersion,
      );
      this.check(ticket, 'offer', party);
      const eligible = await this.eligibleMediators(manager, ticket);
      const chosen = leastLoaded(eligible, await this.loads(manager));
      if (chosen === null) throw new DisputesError('NO_ELIGIBLE_MEDIATOR');
      return toAssignmentView(
        await this.offer(manager, actor, ticket, party, chosen, 'auto', meta),
      );
    });
  }

  async openPool(
    actor: Actor,
    ticketId: string,
    expectedVersion?: number,
    meta?: RequestMeta,
  ): Promise<AssignmentView> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        ticketId,
        expectedVersion,
      );
      this.check(ticket, 'open_pool', party);
      const at = new Date();
      const updated = await this.workflow.update(manager, actor, ticket, 'assignment_opened', {
        party,
        changes: {
          assignment: 'open',
          mediatorUserId: null,
          assignedAt: at,
          mediatorAcceptedAt: null,
        },
        meta,
        at,
      });
      await this.deadlines.start(manager, ticket, 'mediator_acceptance', at);
      return toAssignmentView(updated);
    });
  }

  /** Open tickets this mediator may take: active profile, no conflict, not challenged out. */
  async pool(actor: Actor): Promise<PoolItem[]> {
    const manager = this.dataSource.manager;
    const profile = await manager.findOneBy(MediatorProfile, { userId: actor.id });
    if (!profile || profile.status !== 'active') return [];
    const open = await manager.find(DisputeTicket, {
      where: { assignment: 'open', state: In([...ASSIGNABLE_STATES]) },
      order: { filedAt: 'ASC', id: 'ASC' },
      take: POOL_LIMIT * 2,
    });
    const today = beijingDate(new Date());
    const out: PoolItem[] = [];
    for (const t of open) {
      if (await this.mediators.conflicts(manager, actor.id, t.firmId, today)) continue;
      if ((await this.challengedOut(manager, t.id)).has(actor.id)) continue;
      out.push({
        id: t.id,
        number: t.number,
        state: t.state,
        category: t.category,
        firmId: t.firmId,
        filedAt: t.filedAt?.toISOString() ?? null,
        version: t.version,
      });
      if (out.length >= POOL_LIMIT) break;
    }
    return out;
  }

  /**
   * A mediator takes an offered ticket (only the one offered it) or an open one (any eligible
   * mediator), confirming they have no conflict. The conflict is checked again now; two
   * mediators taking the same open ticket at once: one wins, the other gets 409.
   */
  async accept(
    actor: Actor,
    ticketId: string,
    noConflict: boolean,
    expectedVersion?: number,
    meta?: RequestMeta,
  ): Promise<AssignmentView> {
    return this.tx.run(async (manager) => {
      const ticket = await this.acceptable(manager, actor, ticketId);
      if (expectedVersion !== undefined && expectedVersion !== ticket.version)
        throw new CommonError('CONFLICT');
      if (noConflict !== true) throw new DisputesError('NO_CONFLICT_CONFIRMATION');
      this.check(ticket, 'accept', 'mediator');
      await this.assertEligible(manager, ticket, actor.id);
      const at = new Date();
      const updated = await this.workflow.update(manager, actor, ticket, 'assignment_accepted', {
        party: 'mediator',
        changes: { assignment: 'accepted', mediatorUserId: actor.id, mediatorAcceptedAt: at },
        detail: { mediatorUserId: actor.id, noConflictConfirmed: true, from: ticket.assignment },
        meta,
        at,
      });
      await this.deadlines.meet(manager, ticket.id, 'mediator_acceptance', at);
      await this.notices.tell(
        manager,
        updated,
        { complainant: true, firmAdmins: true },
        {
          kind: 'disputes.mediator_accepted',
          key: 'disputes.mediation.notice.accepted',
          params: { mediatorName: actor.name },
          template: 'dispute-workflow-update',
        },
      );
      return toAssignmentView(updated);
    });
  }

  async decline(
    actor: Actor,
    ticketId: string,
    reason: string,
    expectedVersion?: number,
    meta?: RequestMeta,
  ): Promise<AssignmentView> {
    if (reason.trim() === '') throw new DisputesError('REASON_REQUIRED');
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        ticketId,
        expectedVersion,
      );
      this.check(ticket, 'decline', party);
      const updated = await this.workflow.update(manager, actor, ticket, 'assignment_declined', {
        party,
        changes: {
          assignment: 'none',
          mediatorUserId: null,
          assignedAt: null,
          mediatorAcceptedAt: null,
        },
        detail: { mediatorUserId: actor.id, reason: reason.trim().slice(0, 2000) },
        audience: 'internal',
        meta,
      });
      await this.deadlines.cancel(manager, ticket.id, ['mediator_acceptance']);
      await this.notices.tell(
        manager,
        updated,
        { staffAdmins: true },
        {
          kind: 'disputes.mediator_declined',
          key: 'disputes.mediation.notice.declined',
          template: 'dispute-workflow-update',
        },
      );
      return toAssignmentView(updated);
    });
  }

  /** Staff take the ticket back from its mediator (or out of the pool). */
  async release(
    actor: Actor,
    ticketId: string,
    expectedVersion?: number,
    meta?: RequestMeta,
  ): Promise<AssignmentView> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        ticketId,
        expectedVersion,
      );
      return toAssignmentView(await this.releaseIn(manager, actor, ticket, party, {}, meta));
    });
  }

  /** Releases the assignment in the caller's transaction (staff, or an upheld challenge). */
  async releaseIn(
    manager: EntityManager,
    actor: Pick<Actor, 'id' | 'role'> | null,
    ticket: DisputeTicket,
    party: TicketParty,
    detail: Record<string, unknown>,
    meta?: RequestMeta,
  ): Promise<DisputeTicket> {
    this.check(ticket, 'release', party);
    const updated = await this.workflow.update(manager, actor, ticket, 'assignment_released', {
      party,
      changes: {
        assignment: 'none',
        mediatorUserId: null,
        assignedAt: null,
        mediatorAcceptedAt: null,
      },
      detail: { mediatorUserId: ticket.mediatorUserId, ...detail },
      meta,
    });
    await this.deadlines.cancel(manager, ticket.id, ['mediator_acceptance']);
    return updated;
  }

  /** The accepted mediator shows the complainant's contact details to the firm. */
  async releaseContact(
    actor: Actor,
    ticketId: string,
    expectedVersion?: number,
    meta?: RequestMeta,
  ): Promise<AssignmentView> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        ticketId,
        expectedVersion,
      );
      if (party !== 'mediator' || ticket.assignment !== 'accepted')
        throw new CommonError('FORBIDDEN');
      if (!isActive(ticket)) throw new DisputesError('TICKET_NOT_ACTIVE');
      if (ticket.contactReleasedAt !== null) return toAssignmentView(ticket);
      const updated = await this.workflow.update(manager, actor, ticket, 'contact_released', {
        party,
        changes: { contactReleasedAt: new Date() },
        meta,
      });
      await this.notices.tell(
        manager,
        updated,
        { complainant: true, firmAdmins: true },
        {
          kind: 'disputes.contact_released',
          key: 'disputes.mediation.notice.contactReleased',
          template: 'dispute-workflow-update',
        },
      );
      return toAssignmentView(updated);
    });
  }

  /** Active mediators with no conflict with the respondent and not challenged out of this ticket. */
  async eligibleMediators(manager: EntityManager, ticket: DisputeTicket): Promise<string[]> {
    const active = await manager.find(MediatorProfile, {
      where: { status: 'active' },
      select: { userId: true },
    });
    const today = beijingDate(new Date());
    const conflicted = ticket.firmId
      ? await this.mediators.conflictedWith(manager, ticket.firmId, today)
      : new Set<string>();
    const out = await this.challengedOut(manager, ticket.id);
    const candidates: string[] = [];
    for (const p of active) {
      if (conflicted.has(p.userId) || out.has(p.userId)) continue;
      const user = await this.users.findById(p.userId);
      if (user && user.role === 'mediator' && user.disabledAt === null) candidates.push(p.userId);
    }
    return candidates;
  }

  /** Open cases each mediator holds (offered or accepted, ticket in an open state). */
  async loads(manager: EntityManager): Promise<Map<string, number>> {
    const rows = await manager
      .createQueryBuilder(DisputeTicket, 't')
      .select('t.mediatorUserId', 'mediatorUserId')
      .addSelect('COUNT(*)', 'load')
      .where('t.assignment IN (:...assignments)', { assignments: ['offered', 'accepted'] })
      .andWhere('t.state IN (:...states)', { states: [...OPEN_STATES] })
      .andWhere('t.mediatorUserId IS NOT NULL')
      .groupBy('t.mediatorUserId')
      .getRawMany<{ mediatorUserId: string; load: string | number }>();
    return new Map(rows.map((r) => [r.mediatorUserId, Number(r.load)]));
  }

  /** Mediators removed from this ticket by an upheld challenge: never offered it again. */
  async challengedOut(manager: EntityManager, ticketId: string): Promise<Set<string>> {
    const upheld = await manager.findBy(MediatorChallenge, { ticketId, decision: 'upheld' });
    return new Set(upheld.map((c) => c.mediatorUserId));
  }

  private async offer(
    manager: EntityManager,
    actor: Actor,
    ticket: DisputeTicket,
    party: TicketParty,
    mediatorUserId: string,
    how: 'manual' | 'auto',
    meta?: RequestMeta,
  ): Promise<DisputeTicket> {
    const at = new Date();
    const updated = await this.workflow.update(manager, actor, ticket, 'assignment_offered', {
      party,
      changes: { assignment: 'offered', mediatorUserId, assignedAt: at, mediatorAcceptedAt: null },
      detail: { mediatorUserId, how },
      meta,
      at,
    });
    await this.deadlines.start(manager, ticket, 'mediator_acceptance', at);
    await this.tellMediator(manager, updated, mediatorUserId);
    return updated;
  }

  private async tellMediator(
    manager: EntityManager,
    ticket: DisputeTicket,
    userId: string,
  ): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user || user.disabledAt !== null) return;
    const key = 'disputes.mediation.notice.offered';
    const params = { number: ticket.number ?? '' };
    const link = ticketPath(ticket.id);
    await this.notifications.notify(manager, {
      userId,
      kind: 'disputes.mediator_offered',
      titleZh: translate('zh-CN', `${key}.title`, params),
      titleEn: translate('en', `${key}.title`, params),
      link,
    });
    await this.notifications.queueEmail(manager, {
      to: user.email,
      template: 'dispute-workflow-update',
      locale: user.locale,
      context: {
        name: user.name,
        number: ticket.number ?? '',
        headline: translate(user.locale, `${key}.title`, params),
        body: translate(user.locale, `${key}.body`, params),
        link,
      },
    });
  }

  /**
   * The ticket a mediator may accept: offered to them, or open. Anything else is not theirs and
   * answers as an unknown ticket would, so that no mediator learns which ticket ids exist.
   */
  private async acceptable(
    manager: EntityManager,
    actor: Actor,
    ticketId: string,
  ): Promise<DisputeTicket> {
    if (actor.role !== 'mediator') throw new CommonError('FORBIDDEN');
    const ticket = /^[0-9a-f-]{36}$/i.test(ticketId)
      ? await manager.findOneBy(DisputeTicket, { id: ticketId })
      : null;
    if (!ticket || ticket.state === 'draft') throw new DisputesError('TICKET_NOT_FOUND');
    const mine = ticket.mediatorUserId === actor.id;
    if (ticket.assignment === 'open') return ticket;
    if (ticket.assignment === 'offered' && mine) return ticket;
    if (ticket.assignment === 'accepted' && mine) throw new DisputesError('TRANSITION_NOT_ALLOWED');
    throw new DisputesError('TICKET_NOT_FOUND');
  }

  private async assertEligible(
    manager: EntityManager,
    ticket: DisputeTicket,
    mediatorUserId: string,
  ): Promise<void> {
    const profile = await manager.findOneBy(MediatorProfile, { userId: mediatorUserId });
    const user = profile ? await this.users.findById(mediatorUserId) : null;
    if (!profile || !user || user.role !== 'mediator')
      throw new DisputesError('MEDIATOR_NOT_FOUND');
    if (profile.status !== 'active' || user.disabledAt !== null)
      throw new DisputesError('MEDIATOR_INACTIVE');
    if (await this.mediators.conflicts(manager, mediatorUserId, ticket.firmId))
      throw new DisputesError('MEDIATOR_CONFLICT');
    if ((await this.challengedOut(manager, ticket.id)).has(mediatorUserId))
      throw new DisputesError('MEDIATOR_CONFLICT');
  }

  /** The assignment table, plus: only while the ticket is being worked on. */
  private check(ticket: DisputeTicket, action: AssignmentAction, party: TicketParty): void {
    const result = checkAssignmentTransition(ticket.assignment, action, party);
    if (!result.ok) {
      if (result.reason === 'ROLE_NOT_ALLOWED') throw new CommonError('FORBIDDEN');
      throw new DisputesError('TRANSITION_NOT_ALLOWED', { assignment: ticket.assignment, action });
    }
    if (!ASSIGNABLE_STATES.includes(ticket.state))
      throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: ticket.state, action });
  }
}

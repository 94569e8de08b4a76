import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isStaff } from '../../common/auth/roles.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AssignmentService } from './assignment.service.js';
import { DisputesError } from './disputes.errors.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { MediatorChallenge, type ChallengeDecision } from './entities/mediator-challenge.entity.js';
import { isActive } from './ticket-access.js';
import { TicketEventsService } from './ticket-events.service.js';
import { TicketLookupService } from './ticket-lookup.service.js';
import { WorkflowNotices } from './workflow-notices.js';

export interface ChallengeView {
  id: string;
  ticketId: string;
  party: MediatorChallenge['party'];
  mediatorUserId: string;
  reason: string;
  createdAt: string;
  decision: ChallengeDecision | null;
  decisionNote: string | null;
  decidedAt: string | null;
}

export function toChallengeView(c: MediatorChallenge): ChallengeView {
  return {
    id: c.id,
    ticketId: c.ticketId,
    party: c.party,
    mediatorUserId: c.mediatorUserId,
    reason: c.reason,
    createdAt: c.createdAt.toISOString(),
    decision: c.decision,
    decisionNote: c.decisionNote,
    decidedAt: c.decidedAt?.toISOString() ?? null,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const text =
    error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code)}` : '';
  return /UNIQUE|duplicate key|23505/i.test(text);
}

/**
 * Challenges to the mediator: the complainant and the respondent firm (its admin) may each
 * challenge once per ticket, with reasons, while a mediator is offered or has accepted. Staff
 * decide: upheld releases the mediator (who is never offered this ticket again), dismissed
 * leaves them on it. Reasons are shared with staff and the mediator only (timeline 'internal').
 */
@Injectable()
export class ChallengesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly events: TicketEventsService,
    private readonly assignment: AssignmentService,
    private readonly notices: WorkflowNotices,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async challenge(
    actor: Actor,
    ticketId: string,
    reason: string,
    meta?: RequestMeta,
  ): Promise<ChallengeView> {
    const text = reason.trim();
    if (text === '') throw new DisputesError('REASON_REQUIRED');
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
      if (party === 'firm' && actor.role !== 'firm_admin') throw new CommonError('FORBIDDEN');
      if (party !== 'complainant' && party !== 'firm') throw new CommonError('FORBIDDEN');
      if (!isActive(ticket)) throw new DisputesError('TICKET_NOT_ACTIVE');
      if (
        ticket.mediatorUserId === null ||
        (ticket.assignment !== 'offered' && ticket.assignment !== 'accepted')
      )
        throw new DisputesError('NO_MEDIATOR');
      if (await manager.findOneBy(MediatorChallenge, { ticketId: ticket.id, party }))
        throw new DisputesError('CHALLENGE_USED');
      const row: MediatorChallenge = {
        id: randomUUID(),
        ticketId: ticket.id,
        party,
        byUserId: actor.id,
        mediatorUserId: ticket.mediatorUserId,
        reason: text.slice(0, 5000),
        createdAt: new Date(),
        decision: null,
        decisionNote: null,
        decidedBy: null,
        decidedAt: null,
      };
      try {
        await manager.insert(MediatorChallenge, row);
      } catch (error) {
        // The unique index (ticket, party) settles two challenges sent at once.
        if (isUniqueViolation(error)) throw new DisputesError('CHALLENGE_USED');
        throw error;
      }
      await this.events.record(manager, {
        ticket,
        actor,
        party,
        action: 'mediator_challenged',
        detail: { challengeId: row.id, mediatorUserId: row.mediatorUserId },
        meta,
      });
      await this.notices.tell(
        manager,
        ticket,
        { staffAdmins: true },
        {
          kind: 'disputes.mediator_challenged',
          key: 'disputes.mediation.notice.challenged',
          template: 'dispute-workflow-update',
        },
      );
      return toChallengeView(row);
    });
  }

  async decide(
    actor: Actor,
    challengeId: string,
    decision: ChallengeDecision,
    note: string,
    meta?: RequestMeta,
  ): Promise<ChallengeView> {
    if (!isStaff(actor.role)) throw new CommonError('FORBIDDEN');
    const text = note.trim();
    if (text === '') throw new DisputesError('REASON_REQUIRED');
    return this.tx.run(async (manager) => {
      const challenge = /^[0-9a-f-]{36}$/i.test(challengeId)
        ? await manager.findOneBy(MediatorChallenge, { id: challengeId })
        : null;
      if (!challenge) throw new DisputesError('CHALLENGE_NOT_FOUND');
      const { ticket, party } = await this.lookup.findVisible(manager, actor, challenge.ticketId);
      const at = new Date();
      const result = await manager.update(
        MediatorChallenge,
        { id: challenge.id, decidedAt: IsNull() },
        { decision, decisionNote: text.slice(0, 5000), decidedBy: actor.id, decidedAt: at },
      );
      if (!result.affected) throw new DisputesError('CHALLENGE_DECIDED');
      const detail = {
        challengeId: challenge.id,
        decision,
        mediatorUserId: challenge.mediatorUserId,
      };
      // Both parties learn the decision; the reasoning stays with staff and the mediator.
      await this.events.record(manager, {
        ticket,
        actor,
        party,
        action: 'challenge_decided',
        detail,
        meta,
        at,
      });
      let current: DisputeTicket = ticket;
      const stillOn =
        ticket.mediatorUserId === challenge.mediatorUserId &&
        (ticket.assignment === 'offered' || ticket.assignment === 'accepted');
      if (decision === 'upheld' && stillOn)
        current = await this.assignment.releaseIn(
          manager,
          actor,
          ticket,
          party,
          { challengeId: challenge.id },
          meta,
        );
      await this.notices.tell(
        manager,
        current,
        { complainant: true, firmAdmins: true },
        {
          kind: 'disputes.challenge_decided',
          key: `disputes.mediation.notice.challenge_${decision}`,
          template: 'dispute-workflow-update',
        },
      );
      return toChallengeView({
        ...challenge,
        decision,
        decisionNote: text,
        decidedBy: actor.id,
        decidedAt: at,
      });
    });
  }

  /** The challenges on a ticket the actor sees: staff and the mediator all, a party its own. */
  async forTicket(
    manager: EntityManager,
    ticket: DisputeTicket,
    party: string,
  ): Promise<MediatorChallenge[]> {
    const all = await manager.find(MediatorChallenge, {
      where: { ticketId: ticket.id },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    if (party === 'staff' || party === 'mediator') return all;
    return all.filter((c) => c.party === party);
  }

  async list(actor: Actor, ticketId: string): Promise<ChallengeView[]> {
    const manager = this.dataSource.manager;
    const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
    return (await this.forTicket(manager, ticket, party)).map(toChallengeView);
  }

  /** Challenges waiting for a staff decision (home task). */
  countOpen(): Promise<number> {
    return this.dataSource.manager.countBy(MediatorChallenge, { decidedAt: IsNull() });
  }
}

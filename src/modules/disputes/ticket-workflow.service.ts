import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { DisputesError } from './disputes.errors.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { TicketEventsService } from './ticket-events.service.js';
import { checkTicketTransition, type TicketAction } from './ticket.state.js';
import type { TimelineAction } from './timeline-actions.js';
import type { TicketParty } from './visibility.js';

export interface TransitionOptions {
  party: TicketParty;
  /** Required by edges that need a reason; kept as decisionNote and in the timeline. */
  reason?: string | null;
  /** Further columns the edge sets (timestamps, the firm's response...). Never `state`. */
  changes?: Partial<Omit<DisputeTicket, 'id' | 'version' | 'state'>>;
  /** Extra facts for the timeline and audit entry. */
  detail?: Record<string, unknown>;
  meta?: Partial<RequestMeta>;
  at?: Date;
}

/**
 * The one way a ticket changes state: checks the transition table, updates the row only if it
 * still has the version the caller read (else 409 CONFLICT), and records the event in the audit
 * chain and the timeline, all in the caller's transaction.
 */
@Injectable()
export class TicketWorkflowService {
  constructor(private readonly events: TicketEventsService) {}

  async transition(
    manager: EntityManager,
    actor: Pick<Actor, 'id' | 'role'> | null,
    ticket: DisputeTicket,
    action: TicketAction,
    options: TransitionOptions,
  ): Promise<DisputeTicket> {
    const check = checkTicketTransition(ticket.state, action, options.party);
    if (!check.ok) {
      if (check.reason === 'ROLE_NOT_ALLOWED') throw new CommonError('FORBIDDEN');
      throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: ticket.state, action });
    }
    const reason = options.reason?.trim() ?? '';
    if (check.needsReason && reason === '') throw new DisputesError('REASON_REQUIRED');
    const at = options.at ?? new Date();
    const changes: Partial<DisputeTicket> = {
      ...options.changes,
      state: check.to,
      updatedAt: at,
      ...(check.outcome ? { outcome: check.outcome } : {}),
      ...(reason !== '' ? { decisionNote: reason.slice(0, 5000) } : {}),
    };
    await updateVersioned(manager, DisputeTicket, ticket.id, ticket.version, changes);
    await this.events.record(manager, {
      ticket,
      actor,
      party: options.party,
      action,
      fromState: ticket.state,
      toState: check.to,
      detail: { ...(reason !== '' ? { reason } : {}), ...options.detail },
      meta: options.meta,
      at,
    });
    return { ...ticket, ...changes, version: ticket.version + 1 };
  }

  /**
   * Changes columns of a ticket without changing its state (assignment, contact release,
   * extension consent), with the same version check and history entry.
   */
  async update(
    manager: EntityManager,
    actor: Pick<Actor, 'id' | 'role'> | null,
    ticket: DisputeTicket,
    action: TimelineAction,
    options: Omit<TransitionOptions, 'reason'> & { audience?: 'all' | 'internal' },
  ): Promise<DisputeTicket> {
    const at = options.at ?? new Date();
    const changes: Partial<DisputeTicket> = { ...options.changes, updatedAt: at };
    await updateVersioned(manager, DisputeTicket, ticket.id, ticket.version, changes);
    await this.events.record(manager, {
      ticket,
      actor,
      party: options.party,
      action,
      detail: options.detail,
      audience: options.audience,
      meta: options.meta,
      at,
    });
    return { ...ticket, ...changes, version: ticket.version + 1 };
  }
}

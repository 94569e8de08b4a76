import type { Actor } from '../../common/auth/auth-context.js';
import { isFirmRole, isStaff } from '../../common/auth/roles.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import type { TicketParty } from './visibility.js';

/**
 * Who the actor is on this ticket, or null when they may not see it at all (the caller then
 * answers 404). A complainant sees only their own tickets, drafts included; a firm user only
 * filed tickets against their firm; a mediator only tickets offered to or accepted by them;
 * staff every filed ticket. Nobody but its author sees a draft.
 */
export function partyOf(actor: Actor, ticket: DisputeTicket): TicketParty | null {
  if (actor.role === 'complainant')
    return ticket.complainantUserId === actor.id ? 'complainant' : null;
  if (ticket.state === 'draft') return null;
  if (isStaff(actor.role)) return 'staff';
  if (isFirmRole(actor.role))
    return actor.firmId !== null && actor.firmId === ticket.firmId ? 'firm' : null;
  if (actor.role === 'mediator')
    return ticket.mediatorUserId === actor.id &&
      (ticket.assignment === 'offered' || ticket.assignment === 'accepted')
      ? 'mediator'
      : null;
  return null;
}

/** Once filed, a ticket is active until it is closed or rejected. */
export function isActive(ticket: DisputeTicket): boolean {
  return ticket.state !== 'draft' && ticket.state !== 'closed' && ticket.state !== 'rejected';
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { DisputesError } from './disputes.errors.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { partyOf } from './ticket-access.js';
import type { TicketParty } from './visibility.js';

export interface VisibleTicket {
  ticket: DisputeTicket;
  party: TicketParty;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Loads a ticket for an actor: the ticket and the actor's part on it, or TICKET_NOT_FOUND
 * for a ticket that does not exist and for one the actor may not see alike.
 */
@Injectable()
export class TicketLookupService {
  async findVisible(
    manager: EntityManager,
    actor: Actor,
    id: string,
    expectedVersion?: number,
  ): Promise<VisibleTicket> {
    const ticket = UUID.test(id) ? await manager.findOneBy(DisputeTicket, { id }) : null;
    const party = ticket ? partyOf(actor, ticket) : null;
    if (!ticket || !party) throw new DisputesError('TICKET_NOT_FOUND');
    // A form or API call that says which version it saw gets 409 when it is no longer current.
    if (expectedVersion !== undefined && expectedVersion !== ticket.version)
      throw new CommonError('CONFLICT');
    return { ticket, party };
  }

  /** By ticket number (SZIFA-M-2026-000123), with the same visibility rule. */
  async findVisibleByNumber(
    manager: EntityManager,
    actor: Actor,
    number: string,
  ): Promise<VisibleTicket> {
    const ticket = await manager.findOneBy(DisputeTicket, { number: number.trim().toUpperCase() });
    const party = ticket ? partyOf(actor, ticket) : null;
    if (!ticket || !party) throw new DisputesError('TICKET_NOT_FOUND');
    return { ticket, party };
  }
}

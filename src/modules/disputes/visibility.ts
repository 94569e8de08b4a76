/**
 * Who a person is on a given ticket. Derived per ticket from the actor (visibility.ts
 * partyOf in ticket-access.ts): a firm user is `firm` only on tickets against their firm, a
 * mediator is `mediator` only on tickets assigned to them.
 */
export type TicketParty = 'complainant' | 'firm' | 'mediator' | 'staff' | 'system';

/**
 * - `parties`: everyone on the ticket (complainant, firm, mediator, staff);
 * - `internal`: the mediator and staff only (internal notes);
 * - `caucus_complainant` / `caucus_firm`: the mediator with one party in private, plus staff.
 */
export const MESSAGE_VISIBILITIES = [
  'parties',
  'internal',
  'caucus_complainant',
  'caucus_firm',
] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

const READERS: Record<MessageVisibility, readonly TicketParty[]> = {
  parties: ['complainant', 'firm', 'mediator', 'staff', 'system'],
  internal: ['mediator', 'staff', 'system'],
  caucus_complainant: ['complainant', 'mediator', 'staff', 'system'],
  caucus_firm: ['firm', 'mediator', 'staff', 'system'],
};

const WRITERS: Record<MessageVisibility, readonly TicketParty[]> = {
  parties: ['complainant', 'firm', 'mediator', 'staff', 'system'],
  internal: ['mediator', 'staff', 'system'],
  caucus_complainant: ['complainant', 'mediator'],
  caucus_firm: ['firm', 'mediator'],
};

/** May `party` read a message (or attachment) of this visibility? The one rule every view uses. */
export function mayRead(party: TicketParty, visibility: MessageVisibility): boolean {
  return READERS[visibility].includes(party);
}

/** May `party` post a message of this visibility? */
export function mayWrite(party: TicketParty, visibility: MessageVisibility): boolean {
  return WRITERS[visibility].includes(party);
}

/** The visibilities `party` can read: for a query's `IN (...)`. */
export function readableVisibilities(party: TicketParty): MessageVisibility[] {
  return MESSAGE_VISIBILITIES.filter((v) => mayRead(party, v));
}

export function isMessageVisibility(value: string): value is MessageVisibility {
  return (MESSAGE_VISIBILITIES as readonly string[]).includes(value);
}

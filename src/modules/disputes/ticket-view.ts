import { formatFenPlain } from '../../common/money.js';
import type { ComplaintCategory } from './categories.js';
import type { DisputeTicket, RejectReason } from './entities/dispute-ticket.entity.js';
import type { AssignmentState, TicketOutcome, TicketState } from './ticket.state.js';
import type { TicketParty } from './visibility.js';

/** The complainant as a viewer may see them (the firm sees a masked name until release). */
export interface ComplainantView {
  name: string;
  email: string | null;
  phone: string | null;
  masked: boolean;
}

/** A ticket as the API returns it to one viewer. */
export interface TicketView {
  id: string;
  number: string | null;
  state: TicketState;
  party: TicketParty;
  firmId: string | null;
  firmName: string | null;
  category: ComplaintCategory | null;
  /** Exact amount in fen, and the same as a decimal string in 元 ("1234.56"). */
  amountFen: number | null;
  amount: string | null;
  facts: string | null;
  claim: string | null;
  accountRef: string | null;
  complainant: ComplainantView;
  consentVersion: string | null;
  mediatorUserId: string | null;
  assignment: AssignmentState;
  outcome: TicketOutcome | null;
  rejectReason: RejectReason | null;
  firmResponse: string | null;
  contactReleasedAt: string | null;
  filedAt: string | null;
  triagedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TicketNames {
  firmName: string | null;
  complainant: { name: string; email: string } | null;
}

/** First character and two stars: how a firm sees the complainant before contact release. */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0] ?? '';
  return `${first}**`;
}

/**
 * The firm learns the substance of a complaint (facts, claim, amount, category, account
 * reference, filing evidence) once staff accept it; a complaint turned away at triage stays
 * a number and a state to the firm.
 */
export function firmSeesDetails(ticket: Pick<DisputeTicket, 'triagedAt' | 'state'>): boolean {
  return ticket.triagedAt !== null && ticket.state !== 'rejected' && ticket.state !== 'filed';
}

/** May this party see the complaint's substance and its filing evidence? */
export function seesDetails(
  party: TicketParty,
  ticket: Pick<DisputeTicket, 'triagedAt' | 'state'>,
): boolean {
  return party !== 'firm' || firmSeesDetails(ticket);
}

/** The complainant's identity for a viewer: masked for the firm until the mediator releases it. */
export function complainantFor(
  party: TicketParty,
  ticket: Pick<DisputeTicket, 'contactReleasedAt' | 'contactPhone'>,
  complainant: { name: string; email: string } | null,
): ComplainantView {
  const name = complainant?.name ?? '';
  if (party === 'firm' && ticket.contactReleasedAt === null)
    return { name: maskName(name), email: null, phone: null, masked: true };
  return {
    name,
    email: complainant?.email ?? null,
    phone: ticket.contactPhone,
    masked: false,
  };
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toTicketView(
  ticket: DisputeTicket,
  party: TicketParty,
  names: TicketNames,
): TicketView {
  const details = seesDetails(party, ticket);
  return {
    id: ticket.id,
    number: ticket.number,
    state: ticket.state,
    party,
    firmId: ticket.firmId,
    firmName: names.firmName,
    category: details ? ticket.category : null,
    amountFen: details ? ticket.amountFen : null,
    amount: details && ticket.amountFen !== null ? formatFenPlain(ticket.amountFen) : null,
    facts: details ? ticket.facts : null,
    claim: details ? ticket.claim : null,
    accountRef: details ? ticket.accountRef : null,
    complainant: complainantFor(party, ticket, names.complainant),
    consentVersion: ticket.consentVersion,
    mediatorUserId: ticket.mediatorUserId,
    assignment: ticket.assignment,
    outcome: ticket.outcome,
    rejectReason: ticket.rejectReason,
    firmResponse: ticket.firmResponse,
    contactReleasedAt: iso(ticket.contactReleasedAt),
    filedAt: iso(ticket.filedAt),
    triagedAt: iso(ticket.triagedAt),
    resolvedAt: iso(ticket.resolvedAt),
    closedAt: iso(ticket.closedAt),
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    version: ticket.version,
  };
}

import type { TicketParty } from './visibility.js';

/**
 * Dispute ticket workflow. Roles on the edges are the caller's part on this ticket
 * (visibility.ts TicketParty), not their account role: a firm user acts as `firm` only on
 * tickets against their own firm, a mediator only on tickets they were assigned.
 *
 *   draft ─file─▶ filed ─accept─▶ awaiting_response ─respond─▶ in_mediation ─settle─▶ settled
 *                   └─reject─▶ rejected                          │  ▲          │
 *                                                              fail │  reopen    │ confirm_performance
 *   filed / awaiting_response / in_mediation ─withdraw─▶ withdrawn   ▼  │          ▼ / lapse
 *                                                    mediation_failed │        closed
 *   mediation_failed / withdrawn ─close─▶ closed ──────────────────────┘ (reopen: settled or
 *                                                                         closed-after-settlement)
 */
export const TICKET_STATES = [
  'draft',
  'filed',
  'rejected',
  'awaiting_response',
  'in_mediation',
  'settled',
  'mediation_failed',
  'withdrawn',
  'closed',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/** How a ticket ended (kept after it is closed). */
export type TicketOutcome = 'rejected' | 'settled' | 'failed' | 'withdrawn';

/** States in which the ticket is still being worked on (the dashboard's "open"). */
export const OPEN_STATES: readonly TicketState[] = [
  'filed',
  'awaiting_response',
  'in_mediation',
  'settled',
  'mediation_failed',
  'withdrawn',
];

export const TICKET_ACTIONS = [
  'file',
  'accept',
  'reject',
  'respond',
  'withdraw',
  'settle',
  'fail',
  'close',
  'confirm_performance',
  'lapse',
  'reopen',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

interface Edge {
  from: readonly TicketState[];
  to: TicketState;
  by: readonly TicketParty[];
  /** The actor must give a reason (kept as the ticket's decisionNote and in the timeline). */
  needsReason: boolean;
  /** Set on the ticket when the edge is taken. */
  outcome?: TicketOutcome;
}

/** The whole transition table. Anything not here is refused. */
export const TICKET_TRANSITIONS: Record<TicketAction, Edge> = {
  file: { from: ['draft'], to: 'filed', by: ['complainant'], needsReason: false },
  accept: { from: ['filed'], to: 'awaiting_response', by: ['staff'], needsReason: false },
  reject: {
    from: ['filed'],
    to: 'rejected',
    by: ['staff'],
    needsReason: true,
    outcome: 'rejected',
  },
  respond: { from: ['awaiting_response'], to: 'in_mediation', by: ['firm'], needsReason: false },
  withdraw: {
    from: ['filed', 'awaiting_response', 'in_mediation'],
    to: 'withdrawn',
    by: ['complainant'],
    needsReason: false,
    outcome: 'withdrawn',
  },
  // Taken by the platform in the transaction that records the second party's signature.
  settle: {
    from: ['in_mediation'],
    to: 'settled',
    by: ['system'],
    needsReason: false,
    outcome: 'settled',
  },
  fail: {
    from: ['in_mediation'],
    to: 'mediation_failed',
    by: ['mediator'],
    needsReason: true,
    outcome: 'failed',
  },
  close: {
    from: ['mediation_failed', 'withdrawn'],
    to: 'closed',
    by: ['mediator', 'staff', 'system'],
    needsReason: false,
  },
  confirm_performance: {
    from: ['settled'],
    to: 'closed',
    by: ['complainant'],
    needsReason: false,
  },
  // The reopen window passed without the complainant confirming or reopening.
  lapse: { from: ['settled'], to: 'closed', by: ['system'], needsReason: false },
  // Guarded further by the service: only after a settlement, once, within the window.
  reopen: {
    from: ['settled', 'closed'],
    to: 'in_mediation',
    by: ['complainant'],
    needsReason: true,
  },
};

export type TicketTransitionCheck =
  | { ok: true; to: TicketState; needsReason: boolean; outcome: TicketOutcome | undefined }
  | { ok: false; reason: 'ROLE_NOT_ALLOWED' | 'STATE_NOT_ALLOWED' };

/** Pure: may `party` take `action` on a ticket in `state`, and where does it lead? */
export function checkTicketTransition(
  state: TicketState,
  action: TicketAction,
  party: TicketParty,
): TicketTransitionCheck {
  const edge = TICKET_TRANSITIONS[action];
  if (!edge.by.includes(party)) return { ok: false, reason: 'ROLE_NOT_ALLOWED' };
  if (!edge.from.includes(state)) return { ok: false, reason: 'STATE_NOT_ALLOWED' };
  return { ok: true, to: edge.to, needsReason: edge.needsReason, outcome: edge.outcome };
}

/** The actions `party` can take now, before the service's extra guards: what a page offers. */
export function availableTicketActions(state: TicketState, party: TicketParty): TicketAction[] {
  return TICKET_ACTIONS.filter((action) => checkTicketTransition(state, action, party).ok);
}

/**
 * The mediator's assignment, beside the ticket state:
 *   none ─offer─▶ offered ─accept─▶ accepted
 *   none ─open_pool─▶ open ─accept (any eligible mediator)─▶ accepted
 *   offered ─decline─▶ none; accepted/offered/open ─release (staff; a challenge upheld)─▶ none
 */
export const ASSIGNMENT_STATES = ['none', 'offered', 'open', 'accepted'] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

export const ASSIGNMENT_ACTIONS = ['offer', 'open_pool', 'accept', 'decline', 'release'] as const;
export type AssignmentAction = (typeof ASSIGNMENT_ACTIONS)[number];

const ASSIGNMENT_EDGES: Record<
  AssignmentAction,
  { from: readonly AssignmentState[]; to: AssignmentState; by: readonly TicketParty[] }
> = {
  offer: { from: ['none', 'offered', 'open'], to: 'offered', by: ['staff', 'system'] },
  open_pool: { from: ['none', 'offered'], to: 'open', by: ['staff'] },
  // A mediator accepting an `open` ticket is not yet on it: the service checks eligibility.
  accept: { from: ['offered', 'open'], to: 'accepted', by: ['mediator'] },
  decline: { from: ['offered'], to: 'none', by: ['mediator'] },
  release: { from: ['offered', 'open', 'accepted'], to: 'none', by: ['staff', 'system'] },
};

/** Ticket states in which the mediator's assignment may change. */
export const ASSIGNABLE_STATES: readonly TicketState[] = [
  'filed',
  'awaiting_response',
  'in_mediation',
];

export function checkAssignmentTransition(
  state: AssignmentState,
  action: AssignmentAction,
  party: TicketParty,
):
  | { ok: true; to: AssignmentState }
  | { ok: false; reason: 'ROLE_NOT_ALLOWED' | 'STATE_NOT_ALLOWED' } {
  const edge = ASSIGNMENT_EDGES[action];
  if (!edge.by.includes(party)) return { ok: false, reason: 'ROLE_NOT_ALLOWED' };
  if (!edge.from.includes(state)) return { ok: false, reason: 'STATE_NOT_ALLOWED' };
  return { ok: true, to: edge.to };
}

import { describe, expect, it } from '@jest/globals';
import {
  ASSIGNMENT_ACTIONS,
  ASSIGNMENT_STATES,
  availableTicketActions,
  checkAssignmentTransition,
  checkTicketTransition,
  TICKET_ACTIONS,
  TICKET_STATES,
  type AssignmentAction,
  type AssignmentState,
  type TicketAction,
  type TicketOutcome,
  type TicketState,
} from './ticket.state.js';
import type { TicketParty } from './visibility.js';

const PARTIES: readonly TicketParty[] = ['complainant', 'firm', 'mediator', 'staff', 'system'];

/**
 * The workflow of issue 5 §2 written out edge by edge, independently of ticket.state.ts:
 * [from, action, who, to, needs a reason, outcome]. Everything not listed must be refused.
 */
const EDGES: ReadonlyArray<
  [TicketState, TicketAction, TicketParty, TicketState, boolean, TicketOutcome | undefined]
> = [
  ['draft', 'file', 'complainant', 'filed', false, undefined],
  ['filed', 'accept', 'staff', 'awaiting_response', false, undefined],
  ['filed', 'reject', 'staff', 'rejected', true, 'rejected'],
  ['awaiting_response', 'respond', 'firm', 'in_mediation', false, undefined],
  ['filed', 'withdraw', 'complainant', 'withdrawn', false, 'withdrawn'],
  ['awaiting_response', 'withdraw', 'complainant', 'withdrawn', false, 'withdrawn'],
  ['in_mediation', 'withdraw', 'complainant', 'withdrawn', false, 'withdrawn'],
  ['in_mediation', 'settle', 'system', 'settled', false, 'settled'],
  ['in_mediation', 'fail', 'mediator', 'mediation_failed', true, 'failed'],
  ['mediation_failed', 'close', 'mediator', 'closed', false, undefined],
  ['mediation_failed', 'close', 'staff', 'closed', false, undefined],
  ['mediation_failed', 'close', 'system', 'closed', false, undefined],
  ['withdrawn', 'close', 'mediator', 'closed', false, undefined],
  ['withdrawn', 'close', 'staff', 'closed', false, undefined],
  ['withdrawn', 'close', 'system', 'closed', false, undefined],
  ['settled', 'confirm_performance', 'complainant', 'closed', false, undefined],
  ['settled', 'lapse', 'system', 'closed', false, undefined],
  ['settled', 'reopen', 'complainant', 'in_mediation', true, undefined],
  ['closed', 'reopen', 'complainant', 'in_mediation', true, undefined],
];

/** Who may take an action at all: the role check comes before the state check. */
const actors = (action: TicketAction): Set<TicketParty> =>
  new Set(EDGES.filter((e) => e[1] === action).map((e) => e[2]));

describe('ticket transition table', () => {
  const cases = TICKET_STATES.flatMap((state) =>
    TICKET_ACTIONS.flatMap((action) =>
      PARTIES.map((party) => [state, action, party] as [TicketState, TicketAction, TicketParty]),
    ),
  );

  it('covers every state × action × party (9 × 11 × 5)', () => {
    expect(cases).toHaveLength(TICKET_STATES.length * TICKET_ACTIONS.length * PARTIES.length);
    expect(TICKET_STATES).toHaveLength(9);
    expect(TICKET_ACTIONS).toHaveLength(11);
  });

  it.each(cases)('%s --%s--> by %s follows the workflow', (state, action, party) => {
    const edge = EDGES.find((e) => e[0] === state && e[1] === action && e[2] === party);
    const result = checkTicketTransition(state, action, party);
    if (edge) {
      expect(result).toEqual({ ok: true, to: edge[3], needsReason: edge[4], outcome: edge[5] });
    } else if (!actors(action).has(party)) {
      expect(result).toEqual({ ok: false, reason: 'ROLE_NOT_ALLOWED' });
    } else {
      expect(result).toEqual({ ok: false, reason: 'STATE_NOT_ALLOWED' });
    }
  });

  it('lets nothing leave a rejected ticket, and only a reopen leave a closed one', () => {
    for (const party of PARTIES) {
      expect(availableTicketActions('rejected', party)).toEqual([]);
      expect(availableTicketActions('closed', party)).toEqual(
        party === 'complainant' ? ['reopen'] : [],
      );
    }
  });

  it('offers each party only its own moves', () => {
    expect(availableTicketActions('filed', 'staff')).toEqual(['accept', 'reject']);
    expect(availableTicketActions('filed', 'complainant')).toEqual(['withdraw']);
    expect(availableTicketActions('filed', 'firm')).toEqual([]);
    expect(availableTicketActions('awaiting_response', 'firm')).toEqual(['respond']);
    expect(availableTicketActions('in_mediation', 'mediator')).toEqual(['fail']);
    expect(availableTicketActions('in_mediation', 'firm')).toEqual([]);
    expect(availableTicketActions('mediation_failed', 'staff')).toEqual(['close']);
    expect(availableTicketActions('settled', 'complainant')).toEqual([
      'confirm_performance',
      'reopen',
    ]);
  });
});

/** The assignment sub-machine, edge by edge: [from, action, who, to]. */
const ASSIGNMENT_EDGES: ReadonlyArray<
  [AssignmentState, AssignmentAction, TicketParty, AssignmentState]
> = [
  ['none', 'offer', 'staff', 'offered'],
  ['none', 'offer', 'system', 'offered'],
  ['offered', 'offer', 'staff', 'offered'],
  ['offered', 'offer', 'system', 'offered'],
  ['open', 'offer', 'staff', 'offered'],
  ['open', 'offer', 'system', 'offered'],
  ['none', 'open_pool', 'staff', 'open'],
  ['offered', 'open_pool', 'staff', 'open'],
  ['offered', 'accept', 'mediator', 'accepted'],
  ['open', 'accept', 'mediator', 'accepted'],
  ['offered', 'decline', 'mediator', 'none'],
  ['offered', 'release', 'staff', 'none'],
  ['open', 'release', 'staff', 'none'],
  ['accepted', 'release', 'staff', 'none'],
  ['offered', 'release', 'system', 'none'],
  ['open', 'release', 'system', 'none'],
  ['accepted', 'release', 'system', 'none'],
];

describe('assignment transition table', () => {
  const cases = ASSIGNMENT_STATES.flatMap((state) =>
    ASSIGNMENT_ACTIONS.flatMap((action) =>
      PARTIES.map(
        (party) => [state, action, party] as [AssignmentState, AssignmentAction, TicketParty],
      ),
    ),
  );

  it.each(cases)('%s --%s--> by %s follows the assignment rules', (state, action, party) => {
    const edge = ASSIGNMENT_EDGES.find((e) => e[0] === state && e[1] === action && e[2] === party);
    const allowed = new Set(ASSIGNMENT_EDGES.filter((e) => e[1] === action).map((e) => e[2]));
    const result = checkAssignmentTransition(state, action, party);
    if (edge) expect(result).toEqual({ ok: true, to: edge[3] });
    else if (!allowed.has(party)) expect(result).toEqual({ ok: false, reason: 'ROLE_NOT_ALLOWED' });
    else expect(result).toEqual({ ok: false, reason: 'STATE_NOT_ALLOWED' });
  });

  it('never lets a party to the dispute change the assignment', () => {
    for (const state of ASSIGNMENT_STATES)
      for (const action of ASSIGNMENT_ACTIONS)
        for (const party of ['complainant', 'firm'] as const)
          expect(checkAssignmentTransition(state, action, party).ok).toBe(false);
  });
});

import type { ObligationState } from './entities/pledge-obligation.entity.js';

/**
 * A member's obligation to sign one convention version. Every change is the system's, made
 * on a fact (a signature recorded, a deadline passed, a membership ended or begun again):
 *
 *   pending ──sign──▶ signed          pending ──deadline_passed──▶ overdue ──sign──▶ signed
 *   pending | overdue | signed ──end (expelled, withdrawn, superseded)──▶ ended
 *   ended ──reopen (re-admitted)──▶ pending (or signed, when it had been signed)
 *
 * A signed obligation stays signed when a newer version is published; the public list shows
 * it as superseded because the newer version exists.
 */
export const OBLIGATION_ACTIONS = ['sign', 'deadline_passed', 'end', 'reopen'] as const;
export type ObligationAction = (typeof OBLIGATION_ACTIONS)[number];

export const OBLIGATION_STATES: readonly ObligationState[] = [
  'pending',
  'signed',
  'overdue',
  'ended',
];

const TRANSITIONS: ReadonlyArray<[ObligationState, ObligationAction, readonly ObligationState[]]> =
  [
    ['pending', 'sign', ['signed']],
    ['overdue', 'sign', ['signed']],
    ['pending', 'deadline_passed', ['overdue']],
    ['pending', 'end', ['ended']],
    ['overdue', 'end', ['ended']],
    ['signed', 'end', ['ended']],
    ['ended', 'reopen', ['pending', 'signed']],
  ];

/** Whether `action` may take an obligation from `from` to `to`. */
export function obligationTransitionAllowed(
  from: ObligationState,
  action: ObligationAction,
  to: ObligationState,
): boolean {
  return TRANSITIONS.some(([f, a, targets]) => f === from && a === action && targets.includes(to));
}

/** Throws on a transition the table does not have: a bug in the caller, never user input. */
export function assertObligationTransition(
  from: ObligationState,
  action: ObligationAction,
  to: ObligationState,
): void {
  if (!obligationTransitionAllowed(from, action, to))
    throw new Error(`Pledge obligation cannot go from ${from} to ${to} by ${action}`);
}

import { describe, expect, it } from '@jest/globals';
import type { ObligationState } from './entities/pledge-obligation.entity.js';
import {
  assertObligationTransition,
  OBLIGATION_ACTIONS,
  OBLIGATION_STATES,
  obligationTransitionAllowed,
} from './obligation.state.js';

const allowed = new Set([
  'pending sign signed',
  'overdue sign signed',
  'pending deadline_passed overdue',
  'pending end ended',
  'overdue end ended',
  'signed end ended',
  'ended reopen pending',
  'ended reopen signed',
]);

describe('the pledge obligation state machine', () => {
  const cases: Array<[ObligationState, (typeof OBLIGATION_ACTIONS)[number], ObligationState]> = [];
  for (const from of OBLIGATION_STATES)
    for (const action of OBLIGATION_ACTIONS)
      for (const to of OBLIGATION_STATES) cases.push([from, action, to]);

  it.each(cases)('%s --%s--> %s is allowed only if listed', (from, action, to) => {
    expect(obligationTransitionAllowed(from, action, to)).toBe(
      allowed.has(`${from} ${action} ${to}`),
    );
  });

  it('never flags a signed obligation overdue, nor unsigns one', () => {
    expect(() => assertObligationTransition('signed', 'deadline_passed', 'overdue')).toThrow();
    expect(obligationTransitionAllowed('signed', 'reopen', 'pending')).toBe(false);
  });
});

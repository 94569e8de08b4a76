import { describe, expect, it } from '@jest/globals';
import { ROLES } from '../../common/auth/roles.js';
import {
  APPLICATION_ACTIONS,
  APPLICATION_STATES,
  availableApplicationActions,
  checkApplicationTransition,
  type ApplicationAction,
  type ApplicationState,
} from './application.state.js';

/** The allowed edges, written out by hand: the table in the code must agree exactly. */
const ALLOWED: Array<[ApplicationState, ApplicationAction, string, ApplicationState]> = [
  ['draft', 'submit', 'firm_admin', 'submitted'],
  ['submitted', 'start_review', 'staff_admin', 'under_review'],
  ['submitted', 'start_review', 'staff_reviewer', 'under_review'],
  ['resubmitted', 'start_review', 'staff_admin', 'under_review'],
  ['resubmitted', 'start_review', 'staff_reviewer', 'under_review'],
  ['under_review', 'request_changes', 'staff_admin', 'changes_requested'],
  ['under_review', 'request_changes', 'staff_reviewer', 'changes_requested'],
  ['changes_requested', 'resubmit', 'firm_admin', 'resubmitted'],
  ['under_review', 'approve', 'staff_admin', 'approved'],
  ['under_review', 'reject', 'staff_admin', 'rejected'],
];

describe('membership application state machine', () => {
  it('allows exactly the listed edges, for every state × action × role', () => {
    for (const state of APPLICATION_STATES) {
      for (const action of APPLICATION_ACTIONS) {
        for (const role of ROLES) {
          const expected = ALLOWED.find(([s, a, r]) => s === state && a === action && r === role);
          const result = checkApplicationTransition(state, action, role);
          if (expected) expect(result).toMatchObject({ ok: true, to: expected[3] });
          else expect(result.ok).toBe(false);
        }
      }
    }
  });

  it('ends in approved or rejected with no way out', () => {
    for (const role of ROLES) {
      expect(availableApplicationActions('approved', role)).toEqual([]);
      expect(availableApplicationActions('rejected', role)).toEqual([]);
    }
  });

  it('refuses a reviewer who tries to approve (only an administrator decides)', () => {
    expect(checkApplicationTransition('under_review', 'approve', 'staff_reviewer')).toEqual({
      ok: false,
      reason: 'ROLE_NOT_ALLOWED',
    });
  });

  it('says the state is wrong when the role is right but the moment is not', () => {
    expect(checkApplicationTransition('draft', 'approve', 'staff_admin')).toEqual({
      ok: false,
      reason: 'STATE_NOT_ALLOWED',
    });
  });

  it('requires reasons for requesting changes and for rejecting', () => {
    expect(
      checkApplicationTransition('under_review', 'request_changes', 'staff_reviewer'),
    ).toMatchObject({ needsComment: true });
    expect(checkApplicationTransition('under_review', 'reject', 'staff_admin')).toMatchObject({
      needsComment: true,
    });
    expect(checkApplicationTransition('under_review', 'approve', 'staff_admin')).toMatchObject({
      needsComment: false,
    });
  });
});

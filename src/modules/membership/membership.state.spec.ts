import { describe, expect, it } from '@jest/globals';
import { ROLES } from '../../common/auth/roles.js';
import { FIRM_STATUSES, type FirmStatus } from './entities/firm.entity.js';
import {
  availableMembershipActions,
  checkMembershipTransition,
  MEMBERSHIP_ACTIONS,
  reasonCategoryFor,
  type MembershipAction,
  type MembershipActorKind,
} from './membership.state.js';

const ACTORS: MembershipActorKind[] = [...ROLES, 'system'];

/** The allowed edges, written out by hand: the table in the code must agree exactly. */
const ALLOWED: Array<[FirmStatus, MembershipAction, MembershipActorKind, FirmStatus]> = [
  ['active', 'suspend', 'staff_admin', 'suspended'],
  ['suspended', 'reinstate', 'staff_admin', 'active'],
  ['suspended', 'reinstate', 'system', 'active'],
  ['lapsed', 'reinstate', 'staff_admin', 'active'],
  ['active', 'lapse', 'system', 'lapsed'],
  ['suspended', 'lapse', 'system', 'lapsed'],
  ['active', 'expel', 'staff_admin', 'expelled'],
  ['suspended', 'expel', 'staff_admin', 'expelled'],
  ['active', 'withdraw', 'firm_admin', 'withdrawn'],
  ['suspended', 'withdraw', 'firm_admin', 'withdrawn'],
];

describe('membership status state machine', () => {
  it('allows exactly the listed edges, for every status × action × actor', () => {
    let checked = 0;
    for (const status of FIRM_STATUSES) {
      for (const action of MEMBERSHIP_ACTIONS) {
        for (const actor of ACTORS) {
          const expected = ALLOWED.find(([s, a, r]) => s === status && a === action && r === actor);
          const result = checkMembershipTransition(status, action, actor);
          if (expected) expect(result).toMatchObject({ ok: true, to: expected[3] });
          else expect(result.ok).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBe(FIRM_STATUSES.length * MEMBERSHIP_ACTIONS.length * ACTORS.length);
  });

  it('leaves expelled and withdrawn firms with no way back, for anyone', () => {
    for (const actor of ACTORS) {
      expect(availableMembershipActions('expelled', actor)).toEqual([]);
      expect(availableMembershipActions('withdrawn', actor)).toEqual([]);
    }
  });

  it('gives applicants and rejected firms no membership actions (admission is the application workflow)', () => {
    for (const actor of ACTORS) {
      expect(availableMembershipActions('applicant', actor)).toEqual([]);
      expect(availableMembershipActions('rejected', actor)).toEqual([]);
    }
  });

  it('lets only the system lapse a membership, never a person', () => {
    for (const role of ROLES) {
      expect(checkMembershipTransition('active', 'lapse', role)).toEqual({
        ok: false,
        reason: 'ROLE_NOT_ALLOWED',
      });
    }
  });

  it('lets the system lift a suspension but not reinstate a lapsed membership', () => {
    expect(checkMembershipTransition('suspended', 'reinstate', 'system').ok).toBe(true);
    expect(checkMembershipTransition('lapsed', 'reinstate', 'system')).toEqual({
      ok: false,
      reason: 'STATE_NOT_ALLOWED',
    });
  });

  it('refuses a reviewer who tries to sanction (only an administrator decides)', () => {
    for (const action of ['suspend', 'expel', 'reinstate'] as const) {
      expect(checkMembershipTransition('active', action, 'staff_reviewer')).toEqual({
        ok: false,
        reason: 'ROLE_NOT_ALLOWED',
      });
    }
  });

  it('says the state is wrong when the actor is right but the moment is not', () => {
    expect(checkMembershipTransition('suspended', 'suspend', 'staff_admin')).toEqual({
      ok: false,
      reason: 'STATE_NOT_ALLOWED',
    });
    expect(checkMembershipTransition('lapsed', 'withdraw', 'firm_admin')).toEqual({
      ok: false,
      reason: 'STATE_NOT_ALLOWED',
    });
  });

  it('requires a reason to suspend, a reason and decision reference to expel, a confirmation to withdraw', () => {
    expect(checkMembershipTransition('active', 'suspend', 'staff_admin')).toMatchObject({
      requires: { reason: true, decisionRef: false, until: true, chosenCategory: true },
    });
    expect(checkMembershipTransition('active', 'expel', 'staff_admin')).toMatchObject({
      requires: { reason: true, decisionRef: true, until: false, chosenCategory: true },
    });
    expect(checkMembershipTransition('active', 'withdraw', 'firm_admin')).toMatchObject({
      requires: { reason: false, confirmation: true, chosenCategory: false },
    });
    expect(checkMembershipTransition('suspended', 'reinstate', 'staff_admin')).toMatchObject({
      requires: { reason: false, decisionRef: false, confirmation: false },
    });
  });

  it('fixes the public reason category of actions staff do not categorise', () => {
    expect(reasonCategoryFor('lapse', 'system', null)).toBe('dues_unpaid');
    expect(reasonCategoryFor('withdraw', 'firm_admin', null)).toBe('voluntary');
    expect(reasonCategoryFor('reinstate', 'staff_admin', null)).toBe('reinstated');
    expect(reasonCategoryFor('reinstate', 'system', null)).toBe('suspension_ended');
    expect(reasonCategoryFor('suspend', 'staff_admin', 'misconduct')).toBe('misconduct');
    expect(reasonCategoryFor('expel', 'staff_admin', 'regulatory_action')).toBe(
      'regulatory_action',
    );
  });
});

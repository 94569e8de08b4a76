import type { Role } from '../../common/auth/roles.js';
import type { DomainEventName } from '../../common/events/domain-events.js';
import type { FirmStatus } from './entities/firm.entity.js';

/**
 * Membership status after admission (the application workflow makes a firm `active`).
 *
 *            ┌──suspend (staff_admin)──▶ suspended ──reinstate (staff_admin | system)──┐
 *   active ◀─┘                              │                                          │
 *     ▲  ◀───────────────────────────────────┼──────────────────────────────────────────┘
 *     │        active | suspended ──lapse (system: dues unpaid past grace)──▶ lapsed
 *     │        active | suspended ──expel (staff_admin)──▶ expelled
 *     │        active | suspended ──withdraw (firm_admin)──▶ withdrawn
 *     └──reinstate (staff_admin, after payment)── lapsed
 *
 * Expelled and withdrawn are final: a firm that wants back in applies again.
 */
export const MEMBERSHIP_ACTIONS = ['suspend', 'reinstate', 'lapse', 'expel', 'withdraw'] as const;
export type MembershipAction = (typeof MEMBERSHIP_ACTIONS)[number];

/** Who takes a membership action: a person in a role, or the scheduler acting on a rule. */
export type MembershipActorKind = Role | 'system';

/** Public reason categories staff choose from when suspending or expelling. */
export const SANCTION_REASON_CATEGORIES = [
  'misconduct',
  'regulatory_action',
  'dues_unpaid',
  'other',
] as const;
export type SanctionReasonCategory = (typeof SANCTION_REASON_CATEGORIES)[number];

/** Every category a status event can carry; the directory shows it, never the free text. */
export const REASON_CATEGORIES = [
  'admitted',
  'imported',
  ...SANCTION_REASON_CATEGORIES,
  'voluntary',
  'reinstated',
  'suspension_ended',
] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];

/** What the actor must supply with the action. */
export interface ActionRequirements {
  /** A written reason (staff's grounds for a sanction). */
  reason: boolean;
  /** The decision's reference number (expulsion). */
  decisionRef: boolean;
  /** An optional last day of the suspension may be given. */
  until: boolean;
  /** An explicit "yes, I mean it" (the firm withdrawing itself). */
  confirmation: boolean;
  /** The staff-chosen category; when false the category is fixed by the action. */
  chosenCategory: boolean;
}

interface Edge {
  action: MembershipAction;
  from: FirmStatus;
  to: FirmStatus;
  actors: MembershipActorKind[];
}

const STAFF: MembershipActorKind[] = ['staff_admin'];

/** The whole transition table. Anything not here is refused. */
export const MEMBERSHIP_TRANSITIONS: readonly Edge[] = [
  { action: 'suspend', from: 'active', to: 'suspended', actors: STAFF },
  // The system reinstates only when the suspension's last day has passed (the job checks).
  { action: 'reinstate', from: 'suspended', to: 'active', actors: ['staff_admin', 'system'] },
  // After the dues are paid (the service checks); never automatically.
  { action: 'reinstate', from: 'lapsed', to: 'active', actors: STAFF },
  { action: 'lapse', from: 'active', to: 'lapsed', actors: ['system'] },
  { action: 'lapse', from: 'suspended', to: 'lapsed', actors: ['system'] },
  { action: 'expel', from: 'active', to: 'expelled', actors: STAFF },
  { action: 'expel', from: 'suspended', to: 'expelled', actors: STAFF },
  { action: 'withdraw', from: 'active', to: 'withdrawn', actors: ['firm_admin'] },
  { action: 'withdraw', from: 'suspended', to: 'withdrawn', actors: ['firm_admin'] },
];

export const ACTION_REQUIREMENTS: Record<MembershipAction, ActionRequirements> = {
  suspend: {
    reason: true,
    decisionRef: false,
    until: true,
    confirmation: false,
    chosenCategory: true,
  },
  reinstate: {
    reason: false,
    decisionRef: false,
    until: false,
    confirmation: false,
    chosenCategory: false,
  },
  lapse: {
    reason: false,
    decisionRef: false,
    until: false,
    confirmation: false,
    chosenCategory: false,
  },
  expel: {
    reason: true,
    decisionRef: true,
    until: false,
    confirmation: false,
    chosenCategory: true,
  },
  withdraw: {
    reason: false,
    decisionRef: false,
    until: false,
    confirmation: true,
    chosenCategory: false,
  },
};

/** The domain event each action announces, for other modules to react to. */
export const ACTION_EVENT = {
  suspend: 'membership.suspended',
  reinstate: 'membership.reinstated',
  lapse: 'membership.lapsed',
  expel: 'membership.expelled',
  withdraw: 'membership.withdrawn',
} as const satisfies Record<MembershipAction, DomainEventName>;

export type MembershipTransitionCheck =
  | { ok: true; to: FirmStatus; requires: ActionRequirements }
  | { ok: false; reason: 'ROLE_NOT_ALLOWED' | 'STATE_NOT_ALLOWED' };

/** Pure: may `actor` take `action` on a firm whose status is `status`, and where does it lead? */
export function checkMembershipTransition(
  status: FirmStatus,
  action: MembershipAction,
  actor: MembershipActorKind,
): MembershipTransitionCheck {
  const edges = MEMBERSHIP_TRANSITIONS.filter((edge) => edge.action === action);
  if (!edges.some((edge) => edge.actors.includes(actor)))
    return { ok: false, reason: 'ROLE_NOT_ALLOWED' };
  const edge = edges.find((e) => e.from === status && e.actors.includes(actor));
  if (!edge) return { ok: false, reason: 'STATE_NOT_ALLOWED' };
  return { ok: true, to: edge.to, requires: ACTION_REQUIREMENTS[action] };
}

/** The actions `actor` can take now: what a page offers as forms. */
export function availableMembershipActions(
  status: FirmStatus,
  actor: MembershipActorKind,
): MembershipAction[] {
  return MEMBERSHIP_ACTIONS.filter((action) => checkMembershipTransition(status, action, actor).ok);
}

/**
 * The public category an action records. Staff choose one for sanctions; the others are fixed:
 * a lapse is always unpaid dues, a withdrawal voluntary, and a reinstatement says whether staff
 * lifted the sanction or the suspension simply ran out.
 */
export function reasonCategoryFor(
  action: MembershipAction,
  actor: MembershipActorKind,
  chosen: SanctionReasonCategory | null,
): ReasonCategory | null {
  switch (action) {
    case 'suspend':
    case 'expel':
      return chosen;
    case 'lapse':
      return 'dues_unpaid';
    case 'withdraw':
      return 'voluntary';
    case 'reinstate':
      return actor === 'system' ? 'suspension_ended' : 'reinstated';
  }
}

export function isSanctionReasonCategory(value: unknown): value is SanctionReasonCategory {
  return (SANCTION_REASON_CATEGORIES as readonly unknown[]).includes(value);
}

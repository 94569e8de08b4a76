import type { Role } from '../../common/auth/roles.js';

/**
 * Membership application workflow.
 *
 *   draft ──submit──▶ submitted ──start_review──▶ under_review ──approve──▶ approved
 *                                                   │  ▲   └──reject──▶ rejected
 *                                   request_changes │  │ start_review
 *                                                   ▼  │
 *                      changes_requested ──resubmit──▶ resubmitted
 */
export const APPLICATION_STATES = [
  'draft',
  'submitted',
  'under_review',
  'changes_requested',
  'resubmitted',
  'approved',
  'rejected',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const APPLICATION_ACTIONS = [
  'submit',
  'start_review',
  'request_changes',
  'resubmit',
  'approve',
  'reject',
] as const;
export type ApplicationAction = (typeof APPLICATION_ACTIONS)[number];

const FIRM: Role[] = ['firm_admin'];
const REVIEWERS: Role[] = ['staff_admin', 'staff_reviewer'];
const DECIDERS: Role[] = ['staff_admin'];

interface Edge {
  from: ApplicationState[];
  to: ApplicationState;
  roles: Role[];
  /** The actor must write a comment (a reviewer's reasons). */
  needsComment: boolean;
}

/** The whole transition table. Anything not here is refused. */
export const APPLICATION_TRANSITIONS: Record<ApplicationAction, Edge> = {
  submit: { from: ['draft'], to: 'submitted', roles: FIRM, needsComment: false },
  start_review: {
    from: ['submitted', 'resubmitted'],
    to: 'under_review',
    roles: REVIEWERS,
    needsComment: false,
  },
  request_changes: {
    from: ['under_review'],
    to: 'changes_requested',
    roles: REVIEWERS,
    needsComment: true,
  },
  resubmit: { from: ['changes_requested'], to: 'resubmitted', roles: FIRM, needsComment: false },
  approve: { from: ['under_review'], to: 'approved', roles: DECIDERS, needsComment: false },
  reject: { from: ['under_review'], to: 'rejected', roles: DECIDERS, needsComment: true },
};

export type TransitionCheck =
  | { ok: true; to: ApplicationState; needsComment: boolean }
  | { ok: false; reason: 'ROLE_NOT_ALLOWED' | 'STATE_NOT_ALLOWED' };

/** Pure: may `role` take `action` on an application in `state`, and where does it lead? */
export function checkApplicationTransition(
  state: ApplicationState,
  action: ApplicationAction,
  role: Role,
): TransitionCheck {
  const edge = APPLICATION_TRANSITIONS[action];
  if (!edge.roles.includes(role)) return { ok: false, reason: 'ROLE_NOT_ALLOWED' };
  if (!edge.from.includes(state)) return { ok: false, reason: 'STATE_NOT_ALLOWED' };
  return { ok: true, to: edge.to, needsComment: edge.needsComment };
}

/** The actions `role` can take now: what a page offers as buttons. */
export function availableApplicationActions(
  state: ApplicationState,
  role: Role,
): ApplicationAction[] {
  return APPLICATION_ACTIONS.filter((action) => checkApplicationTransition(state, action, role).ok);
}

/**
 * A firm's rating submission for one cycle, through the four-eyes review to publication.
 * Parties are roles relative to the submission: `firm` (the firm's administrator), `reviewer`
 * (staff reviewer or admin without a declared conflict with the firm), `admin` (staff admin),
 * `system`.
 *
 *   draft ─submit─▶ submitted ─propose─▶ proposed ─confirm (another reviewer)─▶ confirmed ─publish─▶ published
 *     ▲                │  ▲                 │
 *     └──── returned ◀─┘  └──── send_back ──┘
 *        (return: back to the firm for correction, with comments)
 */
export const SUBMISSION_STATES = [
  'draft',
  'submitted',
  'returned',
  'proposed',
  'confirmed',
  'published',
] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

export const SUBMISSION_ACTIONS = [
  'submit',
  'return',
  'propose',
  'send_back',
  'confirm',
  'publish',
] as const;
export type SubmissionAction = (typeof SUBMISSION_ACTIONS)[number];

export type RatingParty = 'firm' | 'reviewer' | 'admin' | 'system';

/**
 * Everything a submission's history records: its transitions and the events around them. Each
 * has a label (`ratings.review.action.<action>`, pinned by submission.state.spec.ts).
 */
export const HISTORY_ACTIONS = [
  ...SUBMISSION_ACTIONS,
  'values_saved',
  'document_uploaded',
  'document_removed',
  'appeal_filed',
  'appeal_document',
  'appeal_decided',
  'rating_expired',
  'rating_withdrawn',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

interface Edge {
  from: readonly SubmissionState[];
  to: SubmissionState;
  by: readonly RatingParty[];
  /** A written comment or rationale is required. */
  needsComment: boolean;
}

export const SUBMISSION_TRANSITIONS: Record<SubmissionAction, Edge> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: ['firm'], needsComment: false },
  return: { from: ['submitted'], to: 'returned', by: ['reviewer'], needsComment: true },
  // The rationale is required only when the proposed grade differs from the computed one.
  propose: { from: ['submitted'], to: 'proposed', by: ['reviewer'], needsComment: false },
  send_back: { from: ['proposed'], to: 'submitted', by: ['reviewer'], needsComment: true },
  confirm: { from: ['proposed'], to: 'confirmed', by: ['reviewer'], needsComment: false },
  publish: { from: ['confirmed'], to: 'published', by: ['admin'], needsComment: false },
};

export type SubmissionTransitionCheck =
  | { ok: true; to: SubmissionState; needsComment: boolean }
  | { ok: false; reason: 'ROLE_NOT_ALLOWED' | 'STATE_NOT_ALLOWED' };

export function checkSubmissionTransition(
  state: SubmissionState,
  action: SubmissionAction,
  party: RatingParty,
): SubmissionTransitionCheck {
  const edge = SUBMISSION_TRANSITIONS[action];
  if (!edge.by.includes(party)) return { ok: false, reason: 'ROLE_NOT_ALLOWED' };
  if (!edge.from.includes(state)) return { ok: false, reason: 'STATE_NOT_ALLOWED' };
  return { ok: true, to: edge.to, needsComment: edge.needsComment };
}

export function availableSubmissionActions(
  state: SubmissionState,
  party: RatingParty,
): SubmissionAction[] {
  return SUBMISSION_ACTIONS.filter((a) => checkSubmissionTransition(state, a, party).ok);
}

/**
 * A published rating's life:
 *   current ─(appeal filed: underAppeal)─▶ current ─decide─▶ current (upheld) | changed (a new record replaces it)
 *   current ─expire (system)─▶ expired;  current ─withdraw (system: suspension, expulsion)─▶ withdrawn
 *   current ─(the firm's next rating is published)─▶ superseded
 */
export const RATING_STATUSES = [
  'current',
  'superseded',
  'changed',
  'expired',
  'withdrawn',
] as const;
export type RatingStatus = (typeof RATING_STATUSES)[number];

export const CYCLE_STATES = ['draft', 'open', 'closed'] as const;
export type CycleState = (typeof CYCLE_STATES)[number];

export const APPEAL_STATES = ['pending', 'upheld', 'changed'] as const;
export type AppealState = (typeof APPEAL_STATES)[number];

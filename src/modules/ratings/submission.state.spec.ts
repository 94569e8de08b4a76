import { isMessageKey, translate } from '../../common/i18n/i18n.js';
import { describe, expect, it } from '@jest/globals';
import {
  HISTORY_ACTIONS,
  SUBMISSION_ACTIONS,
  SUBMISSION_STATES,
  availableSubmissionActions,
  checkSubmissionTransition,
  type RatingParty,
  type SubmissionAction,
  type SubmissionState,
} from './submission.state.js';

const PARTIES: RatingParty[] = ['firm', 'reviewer', 'admin', 'system'];

/** The whole table as the issue describes it: [action, from states, to, party, comment needed]. */
const EXPECTED: Array<
  [SubmissionAction, SubmissionState[], SubmissionState, RatingParty, boolean]
> = [
  ['submit', ['draft', 'returned'], 'submitted', 'firm', false],
  ['return', ['submitted'], 'returned', 'reviewer', true],
  ['propose', ['submitted'], 'proposed', 'reviewer', false],
  ['send_back', ['proposed'], 'submitted', 'reviewer', true],
  ['confirm', ['proposed'], 'confirmed', 'reviewer', false],
  ['publish', ['confirmed'], 'published', 'admin', false],
];

describe('submission state table', () => {
  it('covers every action exactly once', () => {
    expect(EXPECTED.map(([a]) => a).sort()).toEqual([...SUBMISSION_ACTIONS].sort());
  });

  for (const [action, from, to, party, needsComment] of EXPECTED) {
    for (const state of SUBMISSION_STATES) {
      for (const who of PARTIES) {
        const allowed = who === party && from.includes(state);
        it(`${action} from ${state} by ${who}: ${allowed ? `→ ${to}` : 'refused'}`, () => {
          const check = checkSubmissionTransition(state, action, who);
          if (allowed) expect(check).toEqual({ ok: true, to, needsComment });
          else
            expect(check).toEqual({
              ok: false,
              reason: who !== party ? 'ROLE_NOT_ALLOWED' : 'STATE_NOT_ALLOWED',
            });
        });
      }
    }
  }

  it('a published submission is final: nobody can do anything to it', () => {
    for (const who of PARTIES) expect(availableSubmissionActions('published', who)).toEqual([]);
  });

  it('the firm acts only on drafts and returned submissions, and only by submitting', () => {
    expect(availableSubmissionActions('draft', 'firm')).toEqual(['submit']);
    expect(availableSubmissionActions('returned', 'firm')).toEqual(['submit']);
    for (const state of ['submitted', 'proposed', 'confirmed'] as const)
      expect(availableSubmissionActions(state, 'firm')).toEqual([]);
  });

  it('reviewers return or propose a submitted one, and confirm or send back a proposal', () => {
    expect(availableSubmissionActions('submitted', 'reviewer')).toEqual(['return', 'propose']);
    expect(availableSubmissionActions('proposed', 'reviewer')).toEqual(['send_back', 'confirm']);
    expect(availableSubmissionActions('confirmed', 'reviewer')).toEqual([]);
  });

  it('only the admin party publishes, and only a confirmed grade; the system party never acts', () => {
    expect(availableSubmissionActions('confirmed', 'admin')).toEqual(['publish']);
    for (const state of SUBMISSION_STATES)
      expect(availableSubmissionActions(state, 'system')).toEqual([]);
  });
});

describe('submission history labels', () => {
  it('names every recorded event in both languages, so the history never shows a raw code', () => {
    for (const action of HISTORY_ACTIONS) {
      const key = `ratings.review.action.${action}`;
      expect(isMessageKey(key)).toBe(true);
      expect(translate('zh-CN', key)).not.toMatch(/^[a-z_]+$/);
      expect(translate('en', key)).not.toMatch(/^[a-z_]+$/);
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import { affiliationConflicts, conflictCutoff, conflictsWithFirm } from './conflicts.js';

const TODAY = '2026-11-27';
const tie = (endedOn: string | null, removedAt: Date | null = null) => ({ endedOn, removedAt });

describe('mediator conflict rule', () => {
  it('counts an ongoing tie as a conflict', () => {
    expect(affiliationConflicts(tie(null), TODAY)).toBe(true);
  });

  it('counts a tie that ended within the last three years, up to the day', () => {
    expect(affiliationConflicts(tie('2025-01-01'), TODAY)).toBe(true);
    expect(affiliationConflicts(tie('2023-11-27'), TODAY)).toBe(true);
  });

  it('does not count a tie that ended more than three years ago', () => {
    expect(affiliationConflicts(tie('2023-11-26'), TODAY)).toBe(false);
    expect(affiliationConflicts(tie('2019-05-01'), TODAY)).toBe(false);
  });

  it('does not count a removed declaration', () => {
    expect(affiliationConflicts(tie(null, new Date()), TODAY)).toBe(false);
  });

  it('moves 29 February back to the last day of February three years earlier', () => {
    expect(conflictCutoff('2028-02-29')).toBe('2025-02-28');
    expect(conflictCutoff('2026-01-31')).toBe('2023-01-31');
  });

  it('only conflicts with the firm the tie is with', () => {
    const ties = [{ firmId: 'a', ...tie(null) }];
    expect(conflictsWithFirm(ties, 'a', TODAY)).toBe(true);
    expect(conflictsWithFirm(ties, 'b', TODAY)).toBe(false);
    expect(conflictsWithFirm(ties, null, TODAY)).toBe(false);
  });
});

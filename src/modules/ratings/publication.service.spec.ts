import { describe, expect, it } from '@jest/globals';
import { addMonths, expiryFor } from './publication.service.js';

describe('rating validity dates', () => {
  it('adds whole months, keeping the day of the month', () => {
    expect(addMonths('2026-03-15', 12)).toBe('2027-03-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-12-01', 1)).toBe('2027-01-01');
  });

  it('falls back to the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('a rating effective on a day is valid through the day before the same date N months later', () => {
    expect(expiryFor('2026-03-15', 12)).toBe('2027-03-14');
    expect(expiryFor('2026-01-01', 12)).toBe('2026-12-31');
    expect(expiryFor('2026-07-31', 6)).toBe('2027-01-30');
  });
});

import { describe, expect, it } from '@jest/globals';
import { proratedFeeFen } from './dues.js';

describe('dues arithmetic', () => {
  it('charges a January joiner the full annual fee', () => {
    expect(proratedFeeFen(5_000_000, 1)).toBe(5_000_000);
  });

  it('charges a December joiner one twelfth, rounded half up to the fen', () => {
    // 10,000.00 / 12 = 833.333… → 833.33
    expect(proratedFeeFen(1_000_000, 12)).toBe(83_333);
    // 100.06 / 12 * 1 = 8.338… → 8.34
    expect(proratedFeeFen(10_006, 12)).toBe(834);
  });

  it('counts the month of joining: March pays ten months', () => {
    expect(proratedFeeFen(1_200_000, 3)).toBe(1_000_000);
  });

  it('refuses fractional fen and impossible months', () => {
    expect(() => proratedFeeFen(10.5, 3)).toThrow(RangeError);
    expect(() => proratedFeeFen(1000, 13)).toThrow(RangeError);
  });
});

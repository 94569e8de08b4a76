import { describe, expect, it } from '@jest/globals';
import { formatFen, parseYuanToFen, proratedFeeFen } from './dues.js';

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

  it('parses yuan amounts exactly', () => {
    expect(parseYuanToFen('1,234.5')).toBe(123_450);
    expect(parseYuanToFen('0.07')).toBe(7);
    expect(parseYuanToFen('20000')).toBe(2_000_000);
    expect(parseYuanToFen('1.234')).toBeNull();
    expect(parseYuanToFen('-5')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
  });

  it('formats fen as yuan with thousands separators', () => {
    expect(formatFen(123_456_789)).toBe('1,234,567.89');
    expect(formatFen(5)).toBe('0.05');
  });
});

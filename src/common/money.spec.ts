import { describe, expect, it } from '@jest/globals';
import { formatFen, formatFenPlain, MAX_FEN, parseYuanToFen } from './money.js';

describe('money in fen, exactly', () => {
  it('reads 元 as typed into integer fen without floats', () => {
    expect(parseYuanToFen('0.1')).toBe(10);
    expect(parseYuanToFen('19.99')).toBe(1999);
    expect(parseYuanToFen('0.07')).toBe(7);
    expect(parseYuanToFen('1,234.5')).toBe(123_450);
    expect(parseYuanToFen('¥20000')).toBe(2_000_000);
  });

  it('refuses anything that is not a plain amount', () => {
    for (const bad of ['1.234', '-5', '+5', 'abc', '1e3', '', '1,23.00', '12,34'])
      expect(parseYuanToFen(bad)).toBeNull();
  });

  it('refuses more than ten billion 元', () => {
    expect(parseYuanToFen('10000000000')).toBe(MAX_FEN);
    expect(parseYuanToFen('10000000000.01')).toBeNull();
  });

  it('writes fen back as 元, grouped for pages and plain for data', () => {
    expect(formatFen(123_456_789)).toBe('1,234,567.89');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFenPlain(123_456_789)).toBe('1234567.89');
    expect(formatFenPlain(-5)).toBe('-0.05');
    expect(formatFenPlain(900_719_925_474_099)).toBe('9007199254740.99');
  });
});

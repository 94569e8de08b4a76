import { describe, expect, it } from '@jest/globals';
import { formatFen, formatYuan, maskName } from './ticket-view.js';
import { parseAmountFen } from './tickets.service.js';

describe('money in fen, exactly', () => {
  it('reads CNY strings as integer fen without floats', () => {
    expect(parseAmountFen('0.1')).toBe(10);
    expect(parseAmountFen('19.99')).toBe(1999);
    expect(parseAmountFen('1,234.5')).toBe(123450);
    expect(parseAmountFen('1.234')).toBeNull();
    expect(parseAmountFen('-1')).toBeNull();
  });

  it('writes fen back as 元 with two decimals', () => {
    expect(formatFen(5)).toBe('0.05');
    expect(formatYuan(123456789)).toBe('1,234,567.89');
  });

  it('masks a name to its first character', () => {
    expect(maskName('张三丰')).toBe('张**');
  });
});

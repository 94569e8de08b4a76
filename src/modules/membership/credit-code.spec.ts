import { describe, expect, it } from '@jest/globals';
import { creditCodeCheckChar, creditCodeProblem, isValidCreditCode } from './credit-code.js';

// Published codes of well-known firms (business licences are public records).
const REAL_CODES = [
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
  '914403001922038216', // 华为技术有限公司
  '91440300100012316L', // 中国平安保险（集团）股份有限公司
  '9144030010001686XA', // 招商银行股份有限公司
  '91110000802100433B', // 北京百度网讯科技有限公司
];

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(REAL_CODES)('accepts the real code %s', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  it('accepts lower case and surrounding spaces', () => {
    expect(isValidCreditCode(' 9144030010001686xa ')).toBe(true);
  });

  it.each(REAL_CODES)('refuses %s with any one character changed', (code) => {
    for (let i = 0; i < 18; i++) {
      const replacement = code[i] === '1' ? '2' : '1';
      const changed = code.slice(0, i) + replacement + code.slice(i + 1);
      expect(creditCodeProblem(changed)).not.toBeNull();
    }
  });

  it('says which rule a bad code breaks', () => {
    expect(creditCodeProblem('9144030010001686')).toBe('LENGTH');
    expect(creditCodeProblem('91440300100016I6XA')).toBe('CHARACTERS');
    expect(creditCodeProblem('9144030010001686XB')).toBe('CHECK_CHARACTER');
  });

  it('computes the check character from the first 17 characters', () => {
    expect(creditCodeCheckChar('91440300708461136')).toBe('T');
  });
});

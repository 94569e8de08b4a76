/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015.
 *
 * 18 characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z):
 * registration authority (1), entity category (1), administrative division (6), organisation
 * code (9), and a check character computed over the first 17 with weights 3^i mod 31.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters of a code. */
export function creditCodeCheckChar(body: string): string {
  if (body.length !== 17) throw new Error('A credit code body has 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(body[i]);
    if (value < 0) throw new Error(`"${body[i]}" is not allowed in a credit code`);
    sum += value * WEIGHTS[i];
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

export type CreditCodeProblem = 'LENGTH' | 'CHARACTERS' | 'CHECK_CHARACTER';

/** Why a code is not valid, or null when it is. Input is trimmed and upper-cased first. */
export function creditCodeProblem(input: string): CreditCodeProblem | null {
  const code = normaliseCreditCode(input);
  if (code.length !== 18) return 'LENGTH';
  if (!SHAPE.test(code)) return 'CHARACTERS';
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : 'CHECK_CHARACTER';
}

export function isValidCreditCode(input: string): boolean {
  return creditCodeProblem(input) === null;
}

export function normaliseCreditCode(input: string): string {
  return input.trim().toUpperCase();
}

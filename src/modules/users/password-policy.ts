import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** ~50,000 most-used passwords (zxcvbn's list), compared case-insensitively. */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export type PasswordProblem = 'TOO_SHORT' | 'TOO_LONG' | 'TOO_COMMON' | 'CONTAINS_IDENTITY';

/** Checks a new password; returns why it is refused, or null when it is acceptable. */
export function passwordProblem(
  password: string,
  identity: { email?: string; name?: string } = {},
): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'TOO_SHORT';
  if (length > PASSWORD_MAX) return 'TOO_LONG';
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password) || /^(0123456789|1234567890)+/.test(lower)) {
    return 'TOO_COMMON';
  }
  const local = identity.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'CONTAINS_IDENTITY';
  return null;
}

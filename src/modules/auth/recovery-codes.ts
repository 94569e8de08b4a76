import { randomInt } from 'node:crypto';
import { sha256Hex } from '../../common/crypto/tokens.js';

/** Lower case without look-alikes (i, l, o, 0, 1): codes are read off paper and typed. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;

/** One code, `xxxx-xxxx-xx`: ten characters from 31, about 49 bits. */
export function generateRecoveryCode(): string {
  let raw = '';
  for (let i = 0; i < 10; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(generateRecoveryCode());
  return [...codes];
}

/** What is hashed: case, spaces and dashes as typed do not matter. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function hashRecoveryCode(input: string): string {
  return sha256Hex(normaliseRecoveryCode(input));
}

import { createHash, randomBytes } from 'node:crypto';

export function sha256Hex(value: string | Uint8Array): string {
  return typeof value === 'string'
    ? createHash('sha256').update(value, 'utf8').digest('hex')
    : createHash('sha256').update(value).digest('hex');
}

/**
 * A secret for an e-mailed link (verification, reset, invitation): 256 random bits, URL-safe.
 * Only `hash` is stored, so a leaked table opens no link.
 */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256Hex(token) };
}

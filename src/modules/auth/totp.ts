import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), HMAC-SHA1 as every common
 * authenticator app expects. Written here rather than pulled in: it is forty lines, and the
 * replay rule (a step is never accepted twice) has to live next to our own storage anyway.
 */

/** RFC 4648 base32 alphabet, the encoding authenticator apps read secrets in. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now, for clocks that drift or a code typed slowly. */
export const TOTP_WINDOW = 1;
/** 160 bits, the HMAC-SHA1 block-friendly size RFC 4226 recommends. */
export const TOTP_SECRET_BYTES = 20;

export function base32Encode(data: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes base32, ignoring case, spaces, dashes and padding (people copy secrets by hand). */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error(`"${char}" is not a base32 character`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP value for one counter, zero-padded to `digits`. */
export function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step (RFC 6238 "T") that a Unix time in seconds falls in. */
export function timeStep(unixSeconds: number, stepSeconds = TOTP_STEP_SECONDS): number {
  return Math.floor(unixSeconds / stepSeconds);
}

export function totpAt(
  secret: Uint8Array,
  unixSeconds: number,
  options: { digits?: number; stepSeconds?: number } = {},
): string {
  return hotp(secret, timeStep(unixSeconds, options.stepSeconds), options.digits);
}

/**
 * The step whose code equals `code`, within ±window of now, or null. The caller must still
 * refuse a step it has already accepted (replay).
 */
export function matchTotp(
  secret: Uint8Array,
  code: string,
  options: { nowSeconds?: number; digits?: number; window?: number; stepSeconds?: number } = {},
): number | null {
  const digits = options.digits ?? TOTP_DIGITS;
  const candidate = code.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${digits}}$`).test(candidate)) return null;
  const now = timeStep(options.nowSeconds ?? Date.now() / 1000, options.stepSeconds);
  const window = options.window ?? TOTP_WINDOW;
  let matched: number | null = null;
  // Every candidate step is computed and compared, so timing says nothing about which matched.
  for (let step = now - window; step <= now + window; step++) {
    const expected = Buffer.from(hotp(secret, step, digits));
    if (timingSafeEqual(expected, Buffer.from(candidate)) && matched === null) matched = step;
  }
  return matched;
}

export function generateTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** The otpauth:// URI (Key Uri Format) an authenticator app scans from the QR code. */
export function otpauthUri(base32Secret: string, account: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret: base32Secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}

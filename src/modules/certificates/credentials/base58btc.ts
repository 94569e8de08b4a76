/**
 * Base58 with the Bitcoin alphabet, and the multibase forms built on it ('z' prefix). Written
 * here rather than taken from a package because it is a dozen lines and only ever encodes keys
 * (34 bytes) and signatures (64 bytes), where the quadratic big-number loop costs nothing.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function base58btcEncode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // Little-endian base-58 digits of the number the bytes spell (big-endian).
  const digits: number[] = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j] * 256;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  // Each leading zero byte is written as a leading '1'.
  let out = '1'.repeat(zeros);
  for (let k = digits.length - 1; k >= 0; k--) out += ALPHABET[digits[k]];
  return out;
}

export function base58btcDecode(text: string): Uint8Array {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const bytes: number[] = [];
  for (let i = zeros; i < text.length; i++) {
    let carry = ALPHABET.indexOf(text[i]);
    if (carry < 0) throw new Error(`Not a base58btc character: ${JSON.stringify(text[i])}`);
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let k = 0; k < bytes.length; k++) out[zeros + k] = bytes[bytes.length - 1 - k];
  return out;
}

/** Multibase, base58btc: 'z' + base58btc(bytes). */
export function multibaseBase58btc(bytes: Uint8Array): string {
  return `z${base58btcEncode(bytes)}`;
}

export function fromMultibaseBase58btc(text: string): Uint8Array {
  if (!text.startsWith('z')) throw new Error('Not a base58btc multibase string');
  return base58btcDecode(text.slice(1));
}

/** The multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint). */
const ED25519_PUB = Uint8Array.of(0xed, 0x01);

/** A raw 32-byte Ed25519 public key as a Multikey `publicKeyMultibase` ('z6Mk...'). */
export function ed25519Multikey(rawPublicKey: Uint8Array): string {
  if (rawPublicKey.length !== 32) throw new Error('An Ed25519 public key has 32 bytes');
  return multibaseBase58btc(Uint8Array.from([...ED25519_PUB, ...rawPublicKey]));
}

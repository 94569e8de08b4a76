import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * Entries per published status list: the Bitstring Status List minimum (16 KiB of bits), which
 * hides which few certificates are revoked among many. List n (from 1) holds status indexes
 * (n - 1) * STATUS_LIST_SIZE up to n * STATUS_LIST_SIZE - 1.
 */
export const STATUS_LIST_SIZE = 131072;

/** Where a certificate's status index lands: which list, and which bit in it. */
export function statusPosition(statusIndex: number): { list: number; bit: number } {
  return {
    list: Math.floor(statusIndex / STATUS_LIST_SIZE) + 1,
    bit: statusIndex % STATUS_LIST_SIZE,
  };
}

/**
 * The `encodedList` of a Bitstring Status List: bits in order, the first in the most significant
 * bit of the first byte, GZIP-compressed, then multibase base64url without padding ('u').
 */
export function encodeStatusList(setBits: Iterable<number>, size = STATUS_LIST_SIZE): string {
  const bytes = new Uint8Array(size / 8);
  for (const bit of setBits) {
    if (!Number.isInteger(bit) || bit < 0 || bit >= size) throw new RangeError(`Bit ${bit}`);
    bytes[bit >> 3] |= 0x80 >> (bit & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** The bytes of an `encodedList` (the reverse of encodeStatusList). */
export function decodeStatusList(encoded: string): Buffer {
  if (!encoded.startsWith('u')) throw new Error('Not a base64url multibase string');
  return gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
}

export function statusBit(bytes: Uint8Array, bit: number): 0 | 1 {
  return (bytes[bit >> 3] & (0x80 >> (bit & 7))) === 0 ? 0 : 1;
}

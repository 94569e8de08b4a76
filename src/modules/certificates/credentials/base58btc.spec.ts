import { describe, expect, it } from '@jest/globals';
import {
  base58btcDecode,
  base58btcEncode,
  ed25519Multikey,
  fromMultibaseBase58btc,
} from './base58btc.js';

describe('base58btc', () => {
  it('encodes the reference strings of the base58 draft, leading zero bytes as 1s', () => {
    expect(base58btcEncode(Buffer.from('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U');
    expect(base58btcEncode(Buffer.from('0000287fb4cd', 'hex'))).toBe('11233QC4');
    expect(base58btcEncode(new Uint8Array())).toBe('');
  });

  it('decodes what it encodes, for random bytes of key and signature sizes', () => {
    for (const size of [1, 32, 34, 64]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 37 + size) % 256);
      bytes[0] = 0;
      expect(Buffer.from(base58btcDecode(base58btcEncode(bytes)))).toEqual(Buffer.from(bytes));
    }
  });

  it('refuses characters outside the alphabet (0, O, I, l)', () => {
    expect(() => base58btcDecode('2NEpo0')).toThrow('Not a base58btc character');
  });
});

describe('Ed25519 Multikey', () => {
  it('prefixes the key with 0xed01, giving the z6Mk form of the Multikey examples', () => {
    const raw = Uint8Array.from({ length: 32 }, (_, i) => i);
    // Computed independently (Python big-integer base58 of 0xed01 || 00..1f).
    expect(ed25519Multikey(raw)).toBe('z6MkeTGwHmLmuCmgg4ABYhzWVh6ZX7hTwWt8gguAretUfc9c');
    const decoded = fromMultibaseBase58btc('z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2');
    expect(decoded.length).toBe(34);
    expect([decoded[0], decoded[1]]).toEqual([0xed, 0x01]);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => ed25519Multikey(new Uint8Array(31))).toThrow('32 bytes');
  });
});

import { describe, expect, it } from '@jest/globals';
import { SecretBox } from './secret-box.js';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totpAt } from './totp.js';

const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 Appendix B, SHA1 column: 8-digit values for the 20-byte ASCII secret.
  const vectors: Array<[number, string]> = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];

  it.each(vectors)('matches the RFC 6238 SHA1 test vector at T=%i', (seconds, expected) => {
    expect(totpAt(RFC_SECRET, seconds, { digits: 8 })).toBe(expected);
  });

  it('matches the RFC 4226 Appendix D HOTP values (6 digits) for counters 0 to 9', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, counter) => hotp(RFC_SECRET, counter))).toEqual(expected);
  });

  it('accepts a code from one step either side of now and names the step it belongs to', () => {
    const now = 1_800_000_000;
    const step = Math.floor(now / 30);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, now - 30), { nowSeconds: now })).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, now), { nowSeconds: now })).toBe(step);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, now + 30), { nowSeconds: now })).toBe(step + 1);
  });

  it('refuses a code two steps away', () => {
    const now = 1_800_000_000;
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, now - 60), { nowSeconds: now })).toBeNull();
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, now + 60), { nowSeconds: now })).toBeNull();
  });

  it('refuses input that is not six digits', () => {
    expect(matchTotp(RFC_SECRET, 'abcdef', { nowSeconds: 59 })).toBeNull();
    expect(matchTotp(RFC_SECRET, '12345', { nowSeconds: 59 })).toBeNull();
    expect(matchTotp(RFC_SECRET, '', { nowSeconds: 59 })).toBeNull();
  });
});

describe('base32 (RFC 4648)', () => {
  it('encodes the RFC 4648 test strings without padding', () => {
    const cases: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of cases) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
  });

  it('decodes lower case, spaces and padding as typed by people', () => {
    expect(base32Decode('mzxw 6ytb oi======').toString()).toBe('foobar');
  });

  it('round-trips a 20-byte secret', () => {
    const secret = Buffer.from('0123456789abcdefghij');
    expect(base32Decode(base32Encode(secret)).equals(secret)).toBe(true);
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('MZ1W')).toThrow();
  });
});

describe('otpauth URI', () => {
  it('names the issuer in the label and the parameters', () => {
    const uri = otpauthUri('JBSWY3DPEHPK3PXP', 'li.lei@example.cn', 'SZIFA');
    expect(uri).toBe(
      'otpauth://totp/SZIFA:li.lei%40example.cn?secret=JBSWY3DPEHPK3PXP&issuer=SZIFA&algorithm=SHA1&digits=6&period=30',
    );
  });
});

describe('SecretBox', () => {
  const box = new SecretBox('x'.repeat(40), 'szifa-totp');

  it('opens what it sealed', () => {
    const sealed = box.seal(RFC_SECRET);
    expect(box.open(sealed).equals(RFC_SECRET)).toBe(true);
    expect(sealed).not.toContain(RFC_SECRET.toString('base64url'));
  });

  it('seals the same secret differently each time (fresh IV)', () => {
    expect(box.seal(RFC_SECRET)).not.toBe(box.seal(RFC_SECRET));
  });

  it('refuses a box sealed under another application secret', () => {
    const other = new SecretBox('y'.repeat(40), 'szifa-totp');
    expect(() => other.open(box.seal(RFC_SECRET))).toThrow();
  });

  it('refuses a box sealed for another purpose', () => {
    const other = new SecretBox('x'.repeat(40), 'szifa-other');
    expect(() => other.open(box.seal(RFC_SECRET))).toThrow();
  });

  it('refuses a tampered box', () => {
    const [v, iv, body, tag] = box.seal(RFC_SECRET).split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([v, iv, flipped.toString('base64url'), tag].join('.'))).toThrow();
  });
});

import { describe, expect, it } from '@jest/globals';
import { jcs } from './jcs.js';

describe('JSON canonicalization (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, not by code points or locale', () => {
    // The RFC's sorting example: U+1F600 (surrogates D83D DE00) sorts before U+FB33.
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const order = [...jcs(value).matchAll(/:"([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('writes numbers and strings in the ECMAScript form, with no whitespace', () => {
    expect(
      jcs({ b: [1e21, 0.000001, -0, 4.5, 1e-7], a: 'ü\u0007"\\', c: { z: null, y: true } }),
    ).toBe('{"a":"ü\\u0007\\"\\\\","b":[1e+21,0.000001,0,4.5,1e-7],"c":{"y":true,"z":null}}');
  });

  it('sorts nested keys and keeps array order', () => {
    expect(jcs({ z: [{ b: 1, a: 2 }, 'x'], 深圳: 1, A: 0 })).toBe(
      '{"A":0,"z":[{"a":2,"b":1},"x"],"深圳":1}',
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { gunzipSync } from 'node:zlib';
import {
  decodeStatusList,
  encodeStatusList,
  STATUS_LIST_SIZE,
  statusBit,
  statusPosition,
} from './bitstring.js';

describe('Bitstring Status List encoding', () => {
  it('sets bit i in the most significant bit first order of the spec', () => {
    const encoded = encodeStatusList([0, 9, STATUS_LIST_SIZE - 1]);
    expect(encoded.startsWith('u')).toBe(true);
    const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bytes.length).toBe(16384);
    expect(bytes[0]).toBe(0x80);
    expect(bytes[1]).toBe(0x40);
    expect(bytes[16383]).toBe(0x01);
    expect(bytes.subarray(2, 16383).every((b) => b === 0)).toBe(true);
  });

  it('reads back exactly the bits it set', () => {
    const bytes = decodeStatusList(encodeStatusList([3, 131000]));
    expect([2, 3, 4, 130999, 131000].map((i) => statusBit(bytes, i))).toEqual([0, 1, 0, 0, 1]);
  });

  it('uses base64url without padding', () => {
    expect(encodeStatusList([1, 2, 3])).toMatch(/^u[A-Za-z0-9_-]+$/);
  });

  it('refuses a bit outside the list', () => {
    expect(() => encodeStatusList([STATUS_LIST_SIZE])).toThrow(RangeError);
    expect(() => encodeStatusList([-1])).toThrow(RangeError);
  });

  it('puts status index 131072 at bit 0 of list 2', () => {
    expect(statusPosition(0)).toEqual({ list: 1, bit: 0 });
    expect(statusPosition(131071)).toEqual({ list: 1, bit: 131071 });
    expect(statusPosition(131072)).toEqual({ list: 2, bit: 0 });
  });
});

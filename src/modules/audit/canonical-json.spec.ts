import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('yields the same bytes whatever order the keys were written in, at every depth', () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' } };
    const b = { a: { x: 'x', y: [1, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":2,"q":1}]},"b":1}');
  });

  it('keeps array order, because order in a list means something', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('writes dates as ISO 8601 UTC strings, equal for the same instant', () => {
    const utc = new Date('2026-03-01T08:00:00.000Z');
    const beijing = new Date('2026-03-01T16:00:00.000+08:00');
    expect(canonicalJson({ at: utc })).toBe('{"at":"2026-03-01T08:00:00.000Z"}');
    expect(canonicalJson({ at: beijing })).toBe(canonicalJson({ at: utc }));
  });

  it('drops undefined object fields but keeps nulls, so absent and null differ', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson({ a: undefined })).toBe(canonicalJson({}));
    expect(canonicalJson([undefined, null])).toBe('[null,null]');
  });

  it('writes non-finite numbers as null, as JSON.stringify does', () => {
    expect(canonicalJson({ n: Number.NaN, i: Infinity })).toBe('{"i":null,"n":null}');
  });

  it('escapes strings as JSON and keeps Chinese text as written', () => {
    expect(canonicalJson({ name: '深圳 "引号" \n' })).toBe('{"name":"深圳 \\"引号\\" \\n"}');
    expect(JSON.parse(canonicalJson({ name: '深圳' }))).toEqual({ name: '深圳' });
  });

  it('sorts keys by code unit, independent of the locale', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, 中: 4 })).toBe('{"B":2,"a":3,"b":1,"中":4}');
  });
});

import { describe, expect, it } from '@jest/globals';
import { safeNextPath } from './next-path.js';

describe('safeNextPath', () => {
  it('follows a local path with its query', () => {
    expect(safeNextPath('/account?tab=security')).toBe('/account?tab=security');
    expect(safeNextPath('/')).toBe('/');
  });

  it.each([
    ['an absolute URL', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example/path'],
    ['a backslash that browsers read as a slash', '/\\evil.example'],
    ['a tab smuggled into the slashes', '/\t/evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'account'],
    ['an empty value', ''],
    ['a non-string', ['/account']],
    ['an overlong path', '/' + 'a'.repeat(600)],
  ])('refuses %s', (_label, value) => {
    expect(safeNextPath(value)).toBeNull();
  });
});

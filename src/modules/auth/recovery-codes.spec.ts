import { describe, expect, it } from '@jest/globals';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.js';

describe('recovery codes', () => {
  it('generates ten distinct codes shaped xxxx-xxxx-xx', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/);
  });

  it('hashes a code the same however it is typed', () => {
    expect(hashRecoveryCode('AB3D-EF4H-JK')).toBe(hashRecoveryCode('ab3d ef4h jk'));
    expect(hashRecoveryCode('ab3d-ef4h-jk')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes different codes differently', () => {
    expect(hashRecoveryCode('ab3d-ef4h-jk')).not.toBe(hashRecoveryCode('ab3d-ef4h-jm'));
  });
});

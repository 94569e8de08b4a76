import { describe, expect, it } from '@jest/globals';
import { normaliseName, PLEDGE_PAYLOAD_TYPE, pledgePayload } from './signatures.service.js';

const fields = {
  id: '6f1c2a4e-0000-4000-8000-000000000001',
  firmId: '6f1c2a4e-0000-4000-8000-000000000002',
  conventionVersionId: '6f1c2a4e-0000-4000-8000-000000000003',
  textFingerprint: 'a'.repeat(64),
  consentVersion: 'consent-v1',
  consentFingerprint: 'b'.repeat(64),
  signerUserId: '6f1c2a4e-0000-4000-8000-000000000004',
  typedName: '张三',
  signerTitle: '总经理',
  signedAt: new Date('2026-12-01T02:03:04.005Z'),
  ip: '203.0.113.7',
  userAgent: null,
  authMethod: 'password' as const,
  kid: 'szifa-20261201-1',
};

describe('the signed payload', () => {
  it('is canonical JSON of every recorded field and the type marker, keys sorted', () => {
    const payload = pledgePayload(fields);
    const parsed = JSON.parse(payload) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed).toEqual({
      ...fields,
      signedAt: '2026-12-01T02:03:04.005Z',
      type: PLEDGE_PAYLOAD_TYPE,
    });
    expect(payload).not.toMatch(/\s"|": /);
  });

  it('changes when any single field changes', () => {
    const base = pledgePayload(fields);
    for (const [key, value] of Object.entries(fields)) {
      const changed = value instanceof Date ? new Date(value.getTime() + 1) : `${String(value)}x`;
      expect(pledgePayload({ ...fields, [key]: changed })).not.toBe(base);
    }
  });

  it('compares typed names after NFC and trimming', () => {
    expect(normaliseName('  Jose\u0301 ')).toBe('Jos\u00e9');
  });
});

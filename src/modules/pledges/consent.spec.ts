import { describe, expect, it } from '@jest/globals';
import {
  canonicalConsent,
  CONSENT_V1,
  consentByVersion,
  consentFingerprint,
  CURRENT_CONSENT,
} from './consent.js';

describe('consent wording', () => {
  // Signed records hold this fingerprint: editing consent-v1 would turn them all "altered".
  it('keeps the fingerprint of consent-v1 fixed forever', () => {
    expect(consentFingerprint(CONSENT_V1)).toBe(
      '4be7e7e49b16abd7ff9520bb63c23129a1d93cba71d07bb58d0d2656bdbc3794',
    );
  });

  it('hashes the version line, the Chinese and the English wording, each on one line', () => {
    expect(canonicalConsent(CONSENT_V1)).toBe(`consent-v1\n${CONSENT_V1.zh}\n${CONSENT_V1.en}\n`);
  });

  it('finds every wording a record may name, and nothing else', () => {
    expect(consentByVersion(CURRENT_CONSENT.version)).toBe(CURRENT_CONSENT);
    expect(consentByVersion('consent-v0')).toBeNull();
  });
});

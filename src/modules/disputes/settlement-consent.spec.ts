import { describe, expect, it } from '@jest/globals';
import {
  canonicalSettlementConsent,
  CURRENT_SETTLEMENT_CONSENT,
  SETTLEMENT_CONSENT_V1,
  settlementConsentByVersion,
  settlementConsentFingerprint,
} from './settlement-consent.js';

describe('settlement signing consent wording', () => {
  // Signed settlements hold this fingerprint: editing v1 would turn them all "altered".
  it('keeps the fingerprint of settlement-consent-v1 fixed forever', () => {
    expect(settlementConsentFingerprint(SETTLEMENT_CONSENT_V1)).toBe(
      '356d05d08a50309f9e60eb13687e0b932b3dc1f52582f03e99c9ca93733b9868',
    );
  });

  it('hashes the version line, the Chinese and the English wording, each on one line', () => {
    expect(canonicalSettlementConsent(SETTLEMENT_CONSENT_V1)).toBe(
      `settlement-consent-v1\n${SETTLEMENT_CONSENT_V1.zh}\n${SETTLEMENT_CONSENT_V1.en}\n`,
    );
  });

  it('finds every wording a signature may name, and nothing else', () => {
    expect(settlementConsentByVersion(CURRENT_SETTLEMENT_CONSENT.version)).toBe(
      CURRENT_SETTLEMENT_CONSENT,
    );
    expect(settlementConsentByVersion('consent-v1')).toBeNull();
    expect(settlementConsentByVersion('__proto__')).toBeNull();
  });
});

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
      '4599a028b7ab28cfcec27d76e553f7c627158931b63405aea545a4f56e5cc756',
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

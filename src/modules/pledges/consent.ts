import { createHash } from 'node:crypto';

/**
 * The consent a signer ticks before signing electronically. Its wording is part of the evidence:
 * the signature record keeps the version and the SHA-256 of `canonicalConsent()`, so a changed
 * wording needs a new version here (never edit a published one: old records would no longer
 * match their fingerprint).
 */
export interface ConsentWording {
  version: string;
  zh: string;
  en: string;
}

export const CONSENT_V1: ConsentWording = {
  version: 'consent-v1',
  zh:
    '本人确认：本人是本公司指定的授权签署人，已完整阅读上述公约全文；本人同意以电子方式签署，' +
    '并认可该电子签名与手写签名或盖章具有同等法律效力（《中华人民共和国电子签名法》第十四条）。',
  en:
    "I confirm that I am the firm's authorised signatory and have read the full text of the " +
    'convention above; I agree to sign it electronically and accept that this electronic ' +
    'signature has the same legal effect as a handwritten signature or seal (Electronic ' +
    'Signature Law of the PRC, art. 14).',
};

/** The consent in force for new signatures. */
export const CURRENT_CONSENT = CONSENT_V1;

const CONSENTS: Record<string, ConsentWording> = { [CONSENT_V1.version]: CONSENT_V1 };

export function consentByVersion(version: string): ConsentWording | null {
  return CONSENTS[version] ?? null;
}

/** The hashed form: version line, Chinese, English, each on one line, NFC, trailing newline. */
export function canonicalConsent(consent: ConsentWording): string {
  return `${consent.version}\n${consent.zh}\n${consent.en}\n`.normalize('NFC');
}

export function consentFingerprint(consent: ConsentWording): string {
  return createHash('sha256').update(canonicalConsent(consent), 'utf8').digest('hex');
}

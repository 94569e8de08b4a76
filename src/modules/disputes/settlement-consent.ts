import { createHash } from 'node:crypto';

/**
 * The consent a party ticks before signing a settlement agreement electronically. Its wording
 * is part of the evidence: each signature keeps the version and the SHA-256 of
 * `canonicalSettlementConsent()`. A changed wording needs a new version here; never edit a
 * published one (old signatures would no longer match their fingerprint).
 */
export interface SettlementConsentWording {
  version: string;
  zh: string;
  en: string;
}

export const SETTLEMENT_CONSENT_V1: SettlementConsentWording = {
  version: 'settlement-consent-v1',
  zh:
    '本人确认：已完整阅读上述调解协议全文，本人（或本人所代表的机构）自愿达成该协议；本人同意以电子方式签署，' +
    '并认可该电子签名与手写签名或盖章具有同等法律效力（《中华人民共和国电子签名法》第十四条），' +
    '知悉双方可依法共同申请人民法院司法确认，并知悉签署记录（含本人的 IP 地址和浏览器信息）将作为证据保存，' +
    '并提供给对方当事人、调解员和协会。',
  en:
    'I confirm that I have read the full text of the settlement agreement above and that I (or ' +
    'the firm I represent) enter into it freely; I agree to sign it electronically and accept ' +
    'that this electronic signature has the same legal effect as a handwritten signature or ' +
    'seal (Electronic Signature Law of the PRC, art. 14), and I understand that the parties may ' +
    'jointly apply to a people’s court for judicial confirmation, and that the signature record ' +
    '(including my IP address and browser) is kept as evidence and shown to the other party, ' +
    'the mediator and the association.',
};

/** The consent in force for new settlement signatures. */
export const CURRENT_SETTLEMENT_CONSENT = SETTLEMENT_CONSENT_V1;

const CONSENTS: Record<string, SettlementConsentWording> = {
  [SETTLEMENT_CONSENT_V1.version]: SETTLEMENT_CONSENT_V1,
};

export function settlementConsentByVersion(version: string): SettlementConsentWording | null {
  return Object.prototype.hasOwnProperty.call(CONSENTS, version) ? CONSENTS[version] : null;
}

/** The hashed form: version line, Chinese, English, each on one line, NFC, trailing newline. */
export function canonicalSettlementConsent(consent: SettlementConsentWording): string {
  return `${consent.version}\n${consent.zh}\n${consent.en}\n`.normalize('NFC');
}

export function settlementConsentFingerprint(consent: SettlementConsentWording): string {
  return createHash('sha256').update(canonicalSettlementConsent(consent), 'utf8').digest('hex');
}

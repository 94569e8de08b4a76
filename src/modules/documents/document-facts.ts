/**
 * What each PDF document shows. Controllers of the owning modules gather these facts (the
 * documents module never reads another module's records) and hand them to DocumentRenderer.
 */
export const DOCUMENT_KINDS = [
  'pledge-receipt',
  'dues-invoice',
  'dues-receipt',
  'settlement-agreement',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A label in both languages, e.g. a status: { zh: '已缴清', en: 'Paid' }. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** The firm the document is about. */
export interface DocumentHolder {
  firmNameZh: string;
  firmNameEn: string | null;
  creditCode: string;
}

export interface PledgeReceiptFacts {
  holder: DocumentHolder;
  conventionTitleZh: string;
  conventionTitleEn: string | null;
  conventionVersion: number;
  signatoryName: string;
  signatoryTitle: string;
  /** Beijing time, 'YYYY-MM-DD HH:mm:ss'. */
  signedAt: string;
  signatureId: string;
  textFingerprint: string;
  status: Bilingual;
}

export interface DuesPaymentLine {
  paidOn: string;
  /** 元, formatted: "1,234.50". */
  amount: string;
  bankReference: string;
}

/** An invoice and its receipt show the same facts; the templates differ. */
export interface DuesFacts {
  holder: DocumentHolder;
  year: number;
  kind: Bilingual;
  tier: Bilingual;
  amount: string;
  paid: string;
  balance: string;
  dueOn: string;
  status: Bilingual;
  payments: DuesPaymentLine[];
  waivedReason: string | null;
}

export interface SettlementSignatureLine {
  party: Bilingual;
  /** The typed name, with the title for the firm's signatory; '—' when not signed. */
  signer: string;
  /** Beijing time, or '—'. */
  signedAt: string;
  status: Bilingual;
}

export interface SettlementFacts {
  holder: DocumentHolder;
  ticketNumber: string;
  revision: number;
  complainantName: string;
  mediatorName: string;
  amount: string;
  performanceDeadline: string;
  status: Bilingual;
  textFingerprint: string;
  signatures: SettlementSignatureLine[];
  /** The frozen agreement text, drawn line for line by the template's `block | agreementText`. */
  agreementText: string;
}

export interface DocumentFactsByKind {
  'pledge-receipt': PledgeReceiptFacts;
  'dues-invoice': DuesFacts;
  'dues-receipt': DuesFacts;
  'settlement-agreement': SettlementFacts;
}

/** The document's own identity: its number, the date it speaks for, and where it is checked. */
export interface DocumentIssue {
  number: string;
  /** Beijing calendar date, 'YYYY-MM-DD': the PDF's CreationDate, so output is reproducible. */
  issuedOn: string;
  verifyUrl: string;
}

/** A catalogue message in both languages, for facts drawn as "中文 English". */
export function bilingual(
  translate: (locale: 'zh-CN' | 'en', key: string) => string,
  key: string,
): Bilingual {
  return { zh: translate('zh-CN', key), en: translate('en', key) };
}

/** A UTC instant as Beijing wall time, 'YYYY-MM-DD HH:mm:ss' (China keeps UTC+8 all year). */
export function beijingDateTime(instant: Date | string): string {
  const ms = new Date(instant).getTime() + 8 * 3_600_000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

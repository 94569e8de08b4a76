/** What a certificate PDF says: the holder's facts per kind, and the issuance data around them. */

export type CertificateKind = 'membership' | 'pledge' | 'rating';

export const CERTIFICATE_KINDS: readonly CertificateKind[] = ['membership', 'pledge', 'rating'];

/** Serial prefix per kind: SZIFA-{MEM|PLG|RAT}-{YEAR}-{SEQ}. */
export const SERIAL_TYPES: Record<CertificateKind, string> = {
  membership: 'MEM',
  pledge: 'PLG',
  rating: 'RAT',
};

export interface HolderFacts {
  firmNameZh: string;
  firmNameEn: string | null;
  /** 统一社会信用代码 */
  creditCode: string;
}

export interface MembershipFacts {
  holder: HolderFacts;
  /** The member number shown in the register, e.g. SZIFA-M-2026-000123. */
  memberNo: string;
  membershipYear: number;
}

export interface PledgeFacts {
  holder: HolderFacts;
  conventionTitleZh: string;
  conventionTitleEn: string;
  conventionVersion: string;
  signatoryName: string;
  /** Calendar date (Asia/Shanghai), YYYY-MM-DD. */
  signedOn: string;
}

export interface RatingFacts {
  holder: HolderFacts;
  /** e.g. AAA, AA, A, B. */
  grade: string;
  ratingYear: number;
  /** Calendar date (Asia/Shanghai), YYYY-MM-DD. */
  publishedOn: string;
}

export interface CertificateFactsByKind {
  membership: MembershipFacts;
  pledge: PledgeFacts;
  rating: RatingFacts;
}

export interface CertificateIssue {
  /** SZIFA-MEM-2026-000001; the prefix must match the kind. */
  serial: string;
  /** Calendar dates (Asia/Shanghai), YYYY-MM-DD. */
  issuedOn: string;
  expiresOn: string;
  /** The QR code's content: the public verification page. */
  verifyUrl: string;
}

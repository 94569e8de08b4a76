import type {
  CertificateFactsByKind,
  CertificateIssue,
  CertificateKind,
  HolderFacts,
} from './certificate-facts.js';
import { SERIAL_TYPES } from './certificate-facts.js';

/** Example facts for tests, the benchmark and looking at the output; not used by the service. */
export const SAMPLE_HOLDER: HolderFacts = {
  firmNameZh: '深圳前海联信数字科技有限公司',
  firmNameEn: 'Shenzhen Qianhai Lianxin Digital Technology Co., Ltd.',
  creditCode: '91440300MA5FXXXX1K',
};

export function sampleFacts(holder: HolderFacts = SAMPLE_HOLDER): CertificateFactsByKind {
  return {
    membership: { holder, memberNo: 'SZIFA-M-2026-000123', membershipYear: 2026 },
    pledge: {
      holder,
      conventionTitleZh: '深圳市互联网金融行业自律公约',
      conventionTitleEn: 'Shenzhen Internet Finance Industry Self-Regulation Convention',
      conventionVersion: '2026 版',
      signatoryName: '李明华',
      signedOn: '2026-03-15',
    },
    rating: { holder, grade: 'AA', ratingYear: 2025, publishedOn: '2026-04-30' },
  };
}

export function sampleIssue(kind: CertificateKind, seq = 1): CertificateIssue {
  const serial = `SZIFA-${SERIAL_TYPES[kind]}-2026-${String(seq).padStart(6, '0')}`;
  return {
    serial,
    issuedOn: '2026-01-05',
    expiresOn: '2026-12-31',
    verifyUrl: `https://szifa.example.org/verify/${serial}`,
  };
}

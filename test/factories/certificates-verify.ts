import { createHash, randomInt, randomUUID } from 'node:crypto';
import { beijingDate } from '../../src/common/time/beijing.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { certificatePayload } from '../../src/modules/certificates/certificate-payload.js';
import { Certificate } from '../../src/modules/certificates/entities/certificate.entity.js';
import {
  SERIAL_TYPES,
  type CertificateFactsByKind,
  type CertificateKind,
} from '../../src/modules/certificates/pdf/certificate-facts.js';
import { CertificateRenderer } from '../../src/modules/certificates/pdf/certificate-renderer.js';
import type { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { SigningKeysService } from '../../src/modules/signing/signing-keys.service.js';
import type { TestApp } from '../helpers/test-app.js';

export interface SignedCertificate {
  row: Certificate;
  /** The PDF exactly as rendered for the row; its SHA-256 is `row.pdfSha256`. */
  pdf: Buffer;
}

/** Facts of each kind for a firm, as issuance prints them. */
export function factsFor<K extends CertificateKind>(
  kind: K,
  firm: Firm,
): CertificateFactsByKind[K] {
  const holder = { firmNameZh: firm.name, firmNameEn: firm.nameEn, creditCode: firm.creditCode };
  const all: CertificateFactsByKind = {
    membership: { holder, memberNo: `SZIFA-M-2026-${firm.id.slice(0, 6)}`, membershipYear: 2026 },
    pledge: {
      holder,
      conventionTitleZh: '深圳市互联网金融自律公约',
      conventionTitleEn: 'Shenzhen Internet Finance Self-Discipline Convention',
      conventionVersion: '1',
      signatoryName: '张三',
      signedOn: '2026-01-05',
    },
    rating: { holder, grade: 'AA', ratingYear: 2026, publishedOn: '2026-03-01' },
  };
  return all[kind];
}

/**
 * Inserts a certificate row the way issuance stores it: the PDF rendered by CertificateRenderer,
 * its SHA-256, and an Ed25519 signature by SigningKeysService over certificatePayload(row).
 * Serials use a random sequence so rows never collide with issued ones.
 */
export async function insertSignedCertificate(
  t: TestApp,
  firm: Firm,
  options: {
    kind?: CertificateKind;
    issuedOn?: string;
    expiresOn?: string;
    changes?: Partial<Certificate>;
  } = {},
): Promise<SignedCertificate> {
  const kind = options.kind ?? 'membership';
  const issuedOn = options.issuedOn ?? beijingDate(new Date());
  const expiresOn = options.expiresOn ?? `${Number(issuedOn.slice(0, 4)) + 1}-12-31`;
  const serial = `SZIFA-${SERIAL_TYPES[kind]}-${issuedOn.slice(0, 4)}-${String(randomInt(500_000, 999_999)).padStart(6, '0')}`;
  const verifyUrl = `${t.config.PUBLIC_URL}/verify/${serial}`;
  const facts = factsFor(kind, firm);
  const pdf = await t.app
    .get(CertificateRenderer)
    .render(kind, facts, { serial, issuedOn, expiresOn, verifyUrl });
  const signing = t.app.get(SigningKeysService);
  const base = {
    serial,
    kind,
    firmId: firm.id,
    subjectKey: `${kind}:${randomUUID()}`,
    facts: JSON.stringify(facts),
    issuedOn,
    expiresOn,
    verifyUrl,
    pdfSha256: createHash('sha256').update(pdf).digest('hex'),
    kid: await signing.currentKid(),
  };
  const payload = certificatePayload(base);
  const { signature } = await signing.sign(payload);
  const row = await t.app.get(TransactionService).run((em) =>
    em.save(
      em.create(Certificate, {
        id: randomUUID(),
        ...base,
        payload,
        signature,
        status: 'valid',
        revokedAt: null,
        revokedReason: null,
        revokedNote: null,
        revokedBy: null,
        issuedBy: null,
        issuedAt: new Date(),
        ...options.changes,
      }),
    ),
  );
  return { row, pdf };
}

/** Changes columns of a stored certificate behind the platform's back (as an intruder would). */
export async function writeCertificate(
  t: TestApp,
  id: string,
  changes: Partial<Certificate>,
): Promise<void> {
  await t.app.get(TransactionService).run((em) => em.update(Certificate, { id }, changes));
}

export { verifiesWithPublishedKeys as checkWithPublishedKeys } from '../helpers/jwks.js';

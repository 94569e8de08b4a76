import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { startOfBeijingDate, beijingDate } from '../../src/common/time/beijing.js';
import { certificatePayload } from '../../src/modules/certificates/certificate-payload.js';
import {
  SERIAL_TYPES,
  type CertificateKind,
  type HolderFacts,
} from '../../src/modules/certificates/pdf/certificate-facts.js';
import type { BulkConnection } from './bulk.js';
import { seededId } from './ids.js';

/**
 * Seeded certificates, signed for real (Ed25519) so that public verification answers 'valid':
 * the key is made from a fixed seed, its public half is published in signing_keys as a retired
 * key (the application makes its own current key on start and never needs this private half).
 * The PDF is not rendered: pdfSha256 is a placeholder hash, covered by the signature as usual.
 */

export interface CertificateHolder {
  firmId: string;
  holder: HolderFacts;
}

export interface CertificatePlan {
  count: number;
  /** Issue year: certificates are issued from 1 January on, ten minutes apart. */
  year: number;
  /** PUBLIC_URL of the server, for verifyUrl. */
  publicUrl: string;
}

/** Certificate k is revoked when k % REVOKED_EVERY === REVOKED_AT (about 1 in 100). */
const REVOKED_EVERY = 97;
const REVOKED_AT = 50;

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const GRADES = ['AAA', 'AA', 'A', 'B'];

export function certificateKindOf(k: number): CertificateKind {
  const r = k % 10;
  return r === 0 ? 'rating' : r === 1 ? 'pledge' : 'membership';
}

export function isRevoked(k: number): boolean {
  return k % REVOKED_EVERY === REVOKED_AT;
}

/** Inserts the signing key and the certificates; returns the sequence counters they imply. */
export async function loadCertificates(
  db: BulkConnection,
  plan: CertificatePlan,
  holders: CertificateHolder[],
): Promise<{ serials: string[]; counters: Array<{ name: string; value: number }> }> {
  if (plan.count > 0 && holders.length === 0)
    throw new Error('seed: certificates need at least one active firm');
  const seed = createHash('sha256').update('szifa-bench-signing-key').digest();
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const kid = `szifa-${plan.year - 1}0101-1`;
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
  const yearStart = startOfBeijingDate(`${plan.year}-01-01`).getTime();
  const issuedMs = (k: number): number => yearStart + 3_600_000 + k * 600_000;
  await db.insert(
    'signing_keys',
    ['kid', 'algorithm', 'publicKeyJwk', 'createdAt', 'retiredAt'],
    [
      [
        kid,
        'EdDSA',
        JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig', alg: 'EdDSA' }),
        db.time(yearStart - 86_400_000 * 365),
        db.time(issuedMs(plan.count) + 86_400_000),
      ],
    ],
  );

  const sequences = new Map<string, number>();
  const serials: string[] = [];
  function* rows(): Generator<unknown[]> {
    for (let k = 0; k < plan.count; k++) {
      const kind = certificateKindOf(k);
      const { firmId, holder } = holders[k % holders.length];
      // A firm holds one membership certificate per year: later rounds go to earlier years.
      const round = Math.floor(k / holders.length);
      const counter = `certificate-${SERIAL_TYPES[kind]}-${plan.year}`;
      const seq = (sequences.get(counter) ?? 0) + 1;
      sequences.set(counter, seq);
      const serial = `SZIFA-${SERIAL_TYPES[kind]}-${plan.year}-${String(seq).padStart(6, '0')}`;
      serials.push(serial);
      const issuedAt = issuedMs(k);
      const issuedOn = beijingDate(new Date(issuedAt));
      let subjectKey: string;
      let expiresOn: string;
      let facts: Record<string, unknown>;
      if (kind === 'membership') {
        const year = plan.year - round;
        subjectKey = `membership:${firmId}:${year}`;
        expiresOn = `${year}-12-31`;
        facts = { holder, memberNo: holder.creditCode, membershipYear: year };
      } else if (kind === 'pledge') {
        subjectKey = `pledge:${seededId('subject', k)}`;
        expiresOn = `${plan.year + 1}-12-31`;
        facts = {
          holder,
          conventionTitleZh: '深圳市金融科技行业自律公约',
          conventionTitleEn: 'Shenzhen FinTech Industry Self-Regulation Convention',
          conventionVersion: '1',
          signatoryName: '王伟',
          signedOn: issuedOn,
        };
      } else {
        subjectKey = `rating:${seededId('subject', k)}`;
        expiresOn = `${plan.year + 1}-06-30`;
        facts = {
          holder,
          grade: GRADES[Math.floor(k / 10) % GRADES.length],
          ratingYear: plan.year - 1,
          publishedOn: issuedOn,
        };
      }
      const verifyUrl = `${plan.publicUrl}/verify/${serial}`;
      const pdfSha256 = createHash('sha256').update(`bench-certificate:${serial}`).digest('hex');
      const factsText = JSON.stringify(facts);
      const payload = certificatePayload({
        serial,
        kind,
        firmId,
        subjectKey,
        facts: factsText,
        issuedOn,
        expiresOn,
        verifyUrl,
        pdfSha256,
        kid,
      });
      const signature = sign(null, Buffer.from(payload, 'utf8'), privateKey).toString('base64url');
      const revoked = isRevoked(k);
      yield [
        seededId('certificate', k),
        serial,
        kind,
        firmId,
        subjectKey,
        factsText,
        issuedOn,
        expiresOn,
        verifyUrl,
        payload,
        kid,
        signature,
        pdfSha256,
        revoked ? 'revoked' : 'valid',
        revoked ? db.time(issuedAt + 30 * 86_400_000) : null,
        revoked ? 'manual' : null,
        revoked ? '会员单位申请注销证书。 Withdrawn at the member’s request.' : null,
        revoked ? seededId('staff', 0) : null,
        seededId('staff', 0),
        db.time(issuedAt),
        1,
        k,
      ];
    }
  }
  await db.insert(
    'certificates',
    [
      'id',
      'serial',
      'kind',
      'firmId',
      'subjectKey',
      'facts',
      'issuedOn',
      'expiresOn',
      'verifyUrl',
      'payload',
      'kid',
      'signature',
      'pdfSha256',
      'status',
      'revokedAt',
      'revokedReason',
      'revokedNote',
      'revokedBy',
      'issuedBy',
      'issuedAt',
      'version',
      'statusIndex',
    ],
    rows(),
  );
  const counters = [...sequences].map(([name, value]) => ({ name, value }));
  if (plan.count > 0) counters.push({ name: 'certificate-status-index', value: plan.count });
  return { serials, counters };
}

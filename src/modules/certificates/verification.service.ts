import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { beijingDate } from '../../common/time/beijing.js';
import { sniffContentType } from '../files/content-type.js';
import { FirmsService } from '../membership/firms.service.js';
import { RatingsQueryService } from '../ratings/ratings-query.service.js';
import { SigningKeysService } from '../signing/signing-keys.service.js';
import { certificatePayload } from './certificate-payload.js';
import { CertificatesError } from './certificates.errors.js';
import { Certificate } from './entities/certificate.entity.js';
import type { CertificateKind } from './pdf/certificate-facts.js';

export type VerificationStatus = 'valid' | 'revoked' | 'expired' | 'altered' | 'unknown';

export interface VerifiedCertificate {
  serial: string;
  kind: CertificateKind;
  facts: Record<string, unknown>;
  issuedOn: string;
  expiresOn: string;
  verifyUrl: string;
  pdfSha256: string;
  /** The signed canonical JSON, exactly as stored, and its Ed25519 signature (base64url). */
  payload: string;
  kid: string;
  signature: string;
}

export interface Verification {
  serial: string;
  status: VerificationStatus;
  certificate: VerifiedCertificate | null;
  revocation: { at: string; reason: string; note: string | null } | null;
  /** The holder now: membership status and, for rating certificates, the current grade. */
  holder: { firmStatus: string | null; currentGrade: string | null } | null;
  checks: { payloadMatchesRecord: boolean; signatureValid: boolean } | null;
}

export interface PdfVerification {
  sha256: string;
  issued: boolean;
  verification: Verification | null;
}

const SERIAL = /^SZIFA-(MEM|PLG|RAT)-\d{4}-\d{1,12}$/;

/**
 * Public verification (issue 7 §5): what a serial or an uploaded PDF is worth today. A row whose
 * payload or signature no longer checks out answers 'altered', whatever its status column says.
 */
@Injectable()
export class VerificationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly signing: SigningKeysService,
    private readonly firms: FirmsService,
    private readonly ratings: RatingsQueryService,
  ) {}

  async verify(serial: string, now = new Date()): Promise<Verification> {
    const wanted = serial.trim().toUpperCase();
    const row = SERIAL.test(wanted)
      ? await this.db.manager.findOneBy(Certificate, { serial: wanted })
      : null;
    if (!row) {
      return {
        serial: wanted,
        status: 'unknown',
        certificate: null,
        revocation: null,
        holder: null,
        checks: null,
      };
    }
    return this.describe(row, now);
  }

  async verifyPdf(bytes: Buffer | undefined, now = new Date()): Promise<PdfVerification> {
    if (!bytes || bytes.length === 0) throw new CertificatesError('FILE_MISSING');
    if (sniffContentType(bytes)?.type !== 'application/pdf') {
      throw new CertificatesError('NOT_A_PDF');
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const row = await this.db.manager.findOneBy(Certificate, { pdfSha256: sha256 });
    if (!row) return { sha256, issued: false, verification: null };
    return { sha256, issued: true, verification: await this.describe(row, now) };
  }

  private async describe(row: Certificate, now: Date): Promise<Verification> {
    let payloadMatchesRecord: boolean;
    try {
      payloadMatchesRecord = certificatePayload(row) === row.payload;
    } catch {
      payloadMatchesRecord = false;
    }
    const signatureValid = await this.signing.verify(row.kid, row.payload, row.signature);
    const status: VerificationStatus =
      !payloadMatchesRecord || !signatureValid
        ? 'altered'
        : row.status === 'revoked'
          ? 'revoked'
          : beijingDate(now) > row.expiresOn
            ? 'expired'
            : 'valid';
    return {
      serial: row.serial,
      status,
      certificate: {
        serial: row.serial,
        kind: row.kind,
        facts: parseFacts(row.facts),
        issuedOn: row.issuedOn,
        expiresOn: row.expiresOn,
        verifyUrl: row.verifyUrl,
        pdfSha256: row.pdfSha256,
        payload: row.payload,
        kid: row.kid,
        signature: row.signature,
      },
      revocation:
        row.status === 'revoked'
          ? {
              at: (row.revokedAt ?? row.issuedAt).toISOString(),
              reason: row.revokedReason ?? 'manual',
              note: row.revokedReason === 'manual' ? row.revokedNote : null,
            }
          : null,
      holder: await this.holder(row),
      checks: { payloadMatchesRecord, signatureValid },
    };
  }

  private async holder(row: Certificate): Promise<Verification['holder']> {
    const [firm] = await this.firms.byIds(this.db.manager, [row.firmId]);
    const rating = row.kind === 'rating' ? await this.ratings.currentRating(row.firmId) : null;
    return { firmStatus: firm?.status ?? null, currentGrade: rating?.grade ?? null };
  }

  /** The firm's certificates that verify as valid today (for its public page). */
  async validForFirm(firmId: string, now = new Date()): Promise<Certificate[]> {
    const rows = await this.db.manager.find(Certificate, {
      where: { firmId, status: 'valid' },
      order: { serial: 'ASC' },
    });
    const today = beijingDate(now);
    return rows.filter((row) => row.expiresOn >= today);
  }
}

function parseFacts(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

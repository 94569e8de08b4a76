import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { CertificateKind } from '../pdf/certificate-facts.js';

export type CertificateStatus = 'valid' | 'revoked';

/**
 * An issued certificate. `facts` and the issuance inputs are kept so that the PDF can be
 * re-rendered byte for byte (the renderer is deterministic) and checked against `pdfSha256`;
 * `payload` is the canonical JSON that `signature` (Ed25519, key `kid`) covers. Expiry is a date,
 * not a status: a certificate past `expiresOn` reads as expired on verification.
 */
@Entity('certificates')
@Index('IDX_certificates_serial', ['serial'], { unique: true })
// One valid certificate per fact (a firm's membership year, a signature, a rating): issuing
// twice, in bulk or by hand, finds the first instead of making another. A revoked one no
// longer counts, so the fact can be certified again once it holds again.
@Index('IDX_certificates_subject', ['kind', 'subjectKey'])
@Index('IDX_certificates_subject_valid', ['kind', 'subjectKey'], {
  unique: true,
  where: "status = 'valid'",
})
@Index('IDX_certificates_status_index', ['statusIndex'], { unique: true })
@Index('IDX_certificates_firm', ['firmId', 'issuedAt'])
@Index('IDX_certificates_status', ['status', 'expiresOn'])
@Index('IDX_certificates_pdf', ['pdfSha256'])
export class Certificate {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  /** SZIFA-{MEM|PLG|RAT}-{YEAR}-{SEQ}. */
  @Column({ type: 'varchar', length: 32 })
  serial!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: CertificateKind;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  /** What the certificate attests, e.g. 'membership:<firmId>:2026', 'pledge:<signatureId>', 'rating:<ratingId>'. */
  @Column({ type: 'varchar', length: 120 })
  subjectKey!: string;

  /** The facts printed (JSON of CertificateFactsByKind[kind]). */
  @Column({ type: 'text' })
  facts!: string;

  /** Beijing dates. */
  @Column({ type: 'varchar', length: 10 })
  issuedOn!: string;

  @Column({ type: 'varchar', length: 10 })
  expiresOn!: string;

  @Column({ type: 'varchar', length: 500 })
  verifyUrl!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 128 })
  signature!: string;

  @Column({ type: 'varchar', length: 64 })
  pdfSha256!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: CertificateStatus;

  /**
   * The certificate's bit in the published revocation status list (0-based, in issue order);
   * set on every certificate, nullable only because the column was added to existing rows.
   */
  @Column({ type: 'integer', nullable: true })
  statusIndex!: number | null;

  @Column({ type: TIMESTAMP, nullable: true })
  revokedAt!: Date | null;

  /** Code of the reason ('manual', 'membership.expelled', ...) and staff's words when manual. */
  @Column({ type: 'varchar', length: 48, nullable: true })
  revokedReason!: string | null;

  @Column({ type: 'text', nullable: true })
  revokedNote!: string | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  revokedBy!: string | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  issuedBy!: string | null;

  @Column({ type: TIMESTAMP })
  issuedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

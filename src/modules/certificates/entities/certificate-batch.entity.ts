import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { CertificateKind } from '../pdf/certificate-facts.js';

/**
 * queued ──start──▶ running ──finish──▶ done
 *   A running batch whose process died is picked up again at start-up (resume): its pending
 *   items are issued, issued ones are not touched again.
 */
export type CertificateBatchState = 'queued' | 'running' | 'done';

/** A bulk issuance: every eligible subject of one kind (and, for membership, one year). */
@Entity('certificate_batches')
@Index('IDX_certificate_batches_state', ['state', 'createdAt'])
export class CertificateBatch {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: CertificateKind;

  /** The membership year certified (membership batches only). */
  @Column({ type: 'integer', nullable: true })
  year!: number | null;

  @Column({ type: 'varchar', length: 12 })
  state!: CertificateBatchState;

  /** Items in the batch; issued + skipped + failed = total once done. */
  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer' })
  issued!: number;

  /** Subjects that already had a certificate (valid or revoked): nothing issued twice. */
  @Column({ type: 'integer' })
  skipped!: number;

  @Column({ type: 'integer' })
  failed!: number;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  createdBy!: string | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  startedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  finishedAt!: Date | null;

  /** The process working on it (instance id) while its lease runs; another may take over after. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  leaseUntil!: Date | null;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

export type CertificateBatchItemState = 'pending' | 'issued' | 'skipped' | 'failed';

/** One subject of a batch and what became of it. */
@Entity('certificate_batch_items')
@Index('IDX_certificate_batch_items_subject', ['batchId', 'subjectId'], { unique: true })
@Index('IDX_certificate_batch_items_state', ['batchId', 'state', 'position'])
export class CertificateBatchItem {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  batchId!: string;

  /** What `CertificatesService.issue` takes: firm id, signature id or rating id. */
  @Column({ type: 'varchar', length: 64 })
  subjectId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  /** Processing order (firm name order when the batch was planned). */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 12 })
  state!: CertificateBatchItemState;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  certificateId!: string | null;

  /** Why it failed or was skipped: an error code ('NOT_ELIGIBLE', 'already_issued', ...). */
  @Column({ type: 'varchar', length: 48, nullable: true })
  errorCode!: string | null;

  /** The eligibility reason or error message, for the progress page. */
  @Column({ type: 'text', nullable: true })
  errorDetail!: string | null;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;
}

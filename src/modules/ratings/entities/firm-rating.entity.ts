import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { Grade } from '../grades.js';
import type { RatingStatus } from '../submission.state.js';

/**
 * A published grade: what the firm's public page shows. One `current` per firm at most; older
 * ones stay as history (superseded, changed on appeal, expired, withdrawn).
 */
@Entity('firm_ratings')
@Index('IDX_firm_ratings_firm', ['firmId', 'publishedAt'])
@Index('IDX_firm_ratings_status_expiry', ['status', 'expiresOn'])
@Index('IDX_firm_ratings_cycle', ['cycleId', 'grade'])
export class FirmRating {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  cycleId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  submissionId!: string;

  @Column({ type: 'varchar', length: 4 })
  grade!: Grade;

  @Column({ type: 'integer' })
  scoreHundredths!: number;

  /** Beijing dates, inclusive. */
  @Column({ type: 'varchar', length: 10 })
  effectiveOn!: string;

  @Column({ type: 'varchar', length: 10 })
  expiresOn!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: RatingStatus;

  /** Set while an appeal is pending: the grade stays published, marked as under appeal. */
  @Column({ type: TIMESTAMP, nullable: true })
  underAppealSince!: Date | null;

  /** The record this one replaced after an appeal changed the grade. */
  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  replacesId!: string | null;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  publishedBy!: string;

  @Column({ type: TIMESTAMP })
  publishedAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  endedAt!: Date | null;

  /** Why it ended: e.g. 'expired', 'membership.suspended', 'appeal', 'next_rating'. */
  @Column({ type: 'varchar', length: 48, nullable: true })
  endReason!: string | null;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

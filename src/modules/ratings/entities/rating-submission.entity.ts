import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { Grade } from '../grades.js';
import type { SubmissionState } from '../submission.state.js';

/**
 * A firm's submission for a cycle, and its review. `firmValues` holds what the firm typed
 * (JSON object, indicator key → decimal text / 'yes' / choice); `platformValues` what the
 * platform filled from dispute data; both are locked once submitted. The computed score is
 * kept with the scorecard fingerprint it was computed under.
 */
@Entity('rating_submissions')
@Index('IDX_rating_submissions_cycle_firm', ['cycleId', 'firmId'], { unique: true })
@Index('IDX_rating_submissions_cycle_state', ['cycleId', 'state'])
@Index('IDX_rating_submissions_firm', ['firmId', 'createdAt'])
export class RatingSubmission {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  cycleId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: SubmissionState;

  @Column({ type: 'text' })
  firmValues!: string;

  @Column({ type: 'text' })
  platformValues!: string;

  /** The computed total in hundredths of a point, set at submission. */
  @Column({ type: 'integer', nullable: true })
  scoreHundredths!: number | null;

  @Column({ type: 'varchar', length: 4, nullable: true })
  computedGrade!: Grade | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  scorecardFingerprint!: string | null;

  @Column({ type: 'varchar', length: 4, nullable: true })
  proposedGrade!: Grade | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  proposedBy!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  proposedAt!: Date | null;

  /** Required when the proposed grade differs from the computed one. */
  @Column({ type: 'text', nullable: true })
  rationale!: string | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  confirmedBy!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  confirmedAt!: Date | null;

  /** The reviewer's comments when returning the submission to the firm. */
  @Column({ type: 'text', nullable: true })
  returnComment!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  submittedAt!: Date | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { Grade } from '../grades.js';
import type { AppealState } from '../submission.state.js';

/** A firm's appeal against a published rating (one per rating), decided by an independent reviewer. */
@Entity('rating_appeals')
@Index('IDX_rating_appeals_rating', ['ratingId'], { unique: true })
@Index('IDX_rating_appeals_state', ['state', 'filedAt'])
export class RatingAppeal {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  ratingId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  submissionId!: string;

  @Column({ type: 'text' })
  reasons!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  filedBy!: string;

  @Column({ type: TIMESTAMP })
  filedAt!: Date;

  @Column({ type: 'varchar', length: 12 })
  state!: AppealState;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  decidedBy!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  decidedAt!: Date | null;

  /** The grade after the decision (the same one when upheld). */
  @Column({ type: 'varchar', length: 4, nullable: true })
  outcomeGrade!: Grade | null;

  @Column({ type: 'text', nullable: true })
  rationale!: string | null;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

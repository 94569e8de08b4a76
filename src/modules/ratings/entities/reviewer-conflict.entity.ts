import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** A reviewer's declared link to a firm: they may not act on its submissions or appeals. */
@Entity('rating_reviewer_conflicts')
@Index('IDX_rating_reviewer_conflicts_reviewer', ['reviewerUserId', 'firmId'])
@Index('IDX_rating_reviewer_conflicts_firm', ['firmId'])
export class ReviewerConflict {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  reviewerUserId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: 500 })
  note!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  declaredBy!: string;

  @Column({ type: TIMESTAMP })
  declaredAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  removedAt!: Date | null;
}

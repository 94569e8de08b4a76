import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { CycleState } from '../submission.state.js';

/** A round of ratings ("2026 年度评级"): a scorecard version, a submission window, a period. */
@Entity('rating_cycles')
@Index('IDX_rating_cycles_state', ['state', 'closesOn'])
export class RatingCycle {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  nameZh!: string;

  @Column({ type: 'varchar', length: 100 })
  nameEn!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  scorecardId!: string;

  /** The period the figures cover (Beijing dates, inclusive); dispute statistics use it too. */
  @Column({ type: 'varchar', length: 10 })
  periodFrom!: string;

  @Column({ type: 'varchar', length: 10 })
  periodTo!: string;

  /** Submission window (Beijing dates, inclusive). */
  @Column({ type: 'varchar', length: 10 })
  opensOn!: string;

  @Column({ type: 'varchar', length: 10 })
  closesOn!: string;

  @Column({ type: 'varchar', length: 12 })
  state!: CycleState;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  createdBy!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  openedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  closedAt!: Date | null;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

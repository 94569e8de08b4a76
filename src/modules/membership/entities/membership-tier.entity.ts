import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { TierCode } from './firm.entity.js';

/** A membership tier and its annual fee, which staff set. */
@Entity('membership_tiers')
export class MembershipTier {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code!: TierCode;

  @Column({ type: 'varchar', length: 50 })
  nameZh!: string;

  @Column({ type: 'varchar', length: 50 })
  nameEn!: string;

  /** Annual fee in fen. */
  @Column({ type: 'integer' })
  annualFeeFen!: number;

  /** Display order, highest tier first. */
  @Column({ type: 'integer' })
  rank!: number;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  updatedBy!: string | null;
}

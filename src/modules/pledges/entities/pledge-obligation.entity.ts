import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type ObligationState = 'pending' | 'signed' | 'overdue' | 'ended';

/** A member firm's duty to sign one convention version by a deadline. */
@Entity('pledge_obligations')
@Index('IDX_pledge_obligations_firm_version', ['firmId', 'conventionVersionId'], { unique: true })
@Index('IDX_pledge_obligations_version_state', ['conventionVersionId', 'state', 'id'])
@Index('IDX_pledge_obligations_state_deadline', ['state', 'deadlineOn'])
export class PledgeObligation {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  conventionVersionId!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: ObligationState;

  /** Beijing date YYYY-MM-DD: the last day to sign. */
  @Column({ type: 'varchar', length: 10 })
  deadlineOn!: string;

  @Column({ type: TIMESTAMP, nullable: true })
  signedAt!: Date | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  signatureId!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  endedAt!: Date | null;

  /** 'expelled' | 'withdrawn'. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  endedReason!: string | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { ApplicationState } from '../application.state.js';
import type { TierCode } from './firm.entity.js';

/** A firm's application to join. Its state changes only through the transition table. */
@Entity('membership_applications')
@Index('IDX_membership_applications_state', ['state', 'submittedAt'])
@Index('IDX_membership_applications_firm', ['firmId'])
export class MembershipApplication {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: 24 })
  state!: ApplicationState;

  @Column({ type: 'varchar', length: 16 })
  requestedTier!: TierCode;

  /** First submission; the queue's "age" counts from here. */
  @Column({ type: TIMESTAMP, nullable: true })
  submittedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  decidedAt!: Date | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

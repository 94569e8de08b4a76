import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type ChallengeDecision = 'upheld' | 'dismissed';

/** A party's challenge to the mediator (once per party per ticket), decided by staff. */
@Entity('mediator_challenges')
@Index('IDX_mediator_challenges_party', ['ticketId', 'party'], { unique: true })
@Index('IDX_mediator_challenges_open', ['decidedAt', 'createdAt'])
export class MediatorChallenge {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  ticketId!: string;

  @Column({ type: 'varchar', length: 16 })
  party!: 'complainant' | 'firm';

  @Column({ type: 'varchar', length: UUID_LENGTH })
  byUserId!: string;

  /** The mediator challenged. */
  @Column({ type: 'varchar', length: UUID_LENGTH })
  mediatorUserId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 12, nullable: true })
  decision!: ChallengeDecision | null;

  @Column({ type: 'text', nullable: true })
  decisionNote!: string | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  decidedBy!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  decidedAt!: Date | null;
}

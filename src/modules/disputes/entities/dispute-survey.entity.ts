import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** The complainant's rating of the service once a ticket is closed (one per ticket). */
@Entity('dispute_surveys')
@Index('IDX_dispute_surveys_mediator', ['mediatorUserId', 'submittedAt'])
@Index('IDX_dispute_surveys_firm', ['firmId', 'submittedAt'])
export class DisputeSurvey {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  ticketId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  complainantUserId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  mediatorUserId!: string | null;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  /** 1 (very dissatisfied) to 5 (very satisfied). */
  @Column({ type: 'integer' })
  rating!: number;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: TIMESTAMP })
  submittedAt!: Date;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export const DEADLINE_KINDS = [
  'triage',
  'firm_response',
  'mediator_acceptance',
  'mediation',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export type DeadlineStatus = 'open' | 'met' | 'cancelled';

/**
 * One clock on a ticket, counted in working days (Beijing dates). A deadline is overdue while it
 * is open after its due date; `breachedAt` records when it was escalated, and stays set when the
 * deadline is met late, which is what counts against the firm in its statistics.
 */
@Entity('dispute_deadlines')
@Index('IDX_dispute_deadlines_open', ['status', 'dueOn'])
@Index('IDX_dispute_deadlines_ticket', ['ticketId', 'kind'])
@Index('IDX_dispute_deadlines_firm', ['firmId', 'kind', 'startedOn'])
export class DisputeDeadline {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  ticketId!: string;

  /** The respondent, copied so that per-firm statistics need no join. */
  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: 24 })
  kind!: DeadlineKind;

  /** Beijing date the clock started. */
  @Column({ type: 'varchar', length: 10 })
  startedOn!: string;

  /** Last Beijing working day on which it is still on time. */
  @Column({ type: 'varchar', length: 10 })
  dueOn!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: DeadlineStatus;

  @Column({ type: TIMESTAMP, nullable: true })
  metAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  breachedAt!: Date | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;
}

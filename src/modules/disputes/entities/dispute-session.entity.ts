import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export const SESSION_MODES = ['online', 'offline'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/** A mediation session the mediator schedules; both parties see it. */
@Entity('dispute_sessions')
@Index('IDX_dispute_sessions_ticket', ['ticketId', 'startsAt'])
export class DisputeSession {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  ticketId!: string;

  @Column({ type: TIMESTAMP })
  startsAt!: Date;

  @Column({ type: 'integer' })
  durationMinutes!: number;

  @Column({ type: 'varchar', length: 8 })
  mode!: SessionMode;

  /** A meeting link for online sessions, an address for offline ones. */
  @Column({ type: 'varchar', length: 500 })
  place!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  createdBy!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  cancelledAt!: Date | null;
}

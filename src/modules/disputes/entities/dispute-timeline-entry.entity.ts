import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { TicketParty } from '../visibility.js';

/**
 * The ticket's history as parties and staff read it (and as the judicial export prints it).
 * `internal` entries (an internal note was added, a challenge decided in private) are shown to
 * the mediator and staff only. The tamper-evident record of the same events is the audit chain;
 * `auditEventId` links the two.
 */
@Entity('dispute_timeline')
@Index('IDX_dispute_timeline_ticket', ['ticketId', 'at', 'id'])
export class DisputeTimelineEntry {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  ticketId!: string;

  @Column({ type: TIMESTAMP })
  at!: Date;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  actorUserId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  actorParty!: TicketParty;

  /** e.g. 'filed', 'accepted', 'mediator_assigned', 'deadline_breached'. */
  @Column({ type: 'varchar', length: 48 })
  action!: string;

  @Column({ type: 'varchar', length: 24, nullable: true })
  fromState!: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  toState!: string | null;

  /** Small JSON object of facts for display (never the text of an internal note). */
  @Column({ type: 'text' })
  detail!: string;

  @Column({ type: 'varchar', length: 12 })
  audience!: 'all' | 'internal';

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  auditEventId!: string | null;
}

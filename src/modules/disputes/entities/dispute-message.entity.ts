import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { MessageVisibility, TicketParty } from '../visibility.js';

/** One message in a ticket's conversation. Who may read it is decided by `visibility` alone. */
@Entity('dispute_messages')
@Index('IDX_dispute_messages_ticket', ['ticketId', 'createdAt', 'id'])
export class DisputeMessage {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  ticketId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  authorUserId!: string;

  @Column({ type: 'varchar', length: 16 })
  authorParty!: TicketParty;

  @Column({ type: 'varchar', length: 24 })
  visibility!: MessageVisibility;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;
}

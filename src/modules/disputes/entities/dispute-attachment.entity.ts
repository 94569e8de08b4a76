import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { MessageVisibility, TicketParty } from '../visibility.js';

/**
 * Evidence filed with a complaint (messageId null, seen by both parties) or a file attached to
 * a message (seen by whoever sees the message). Bytes live in the content-addressed FileStore.
 */
@Entity('dispute_attachments')
@Index('IDX_dispute_attachments_ticket', ['ticketId', 'createdAt'])
@Index('IDX_dispute_attachments_message', ['messageId'])
export class DisputeAttachment {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  ticketId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  messageId!: string | null;

  @Column({ type: 'varchar', length: 24 })
  visibility!: MessageVisibility;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  uploadedBy!: string;

  @Column({ type: 'varchar', length: 16 })
  uploaderParty!: TicketParty;

  @Column({ type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ type: 'varchar', length: 64 })
  contentType!: string;

  @Column({ type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  /** A draft's evidence can be removed before filing; filed evidence never is. */
  @Column({ type: TIMESTAMP, nullable: true })
  removedAt!: Date | null;
}

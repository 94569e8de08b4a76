import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'kept';

/**
 * Every e-mail the platform produces; `kept` when no SMTP server is configured. A `pending` row
 * is sent when `nextAttemptAt` is null or past; a sender claims it by pushing that time forward
 * (a lease), so two processes never send it at once, and a crashed sender's claim runs out.
 */
@Entity('email_outbox')
@Index('IDX_email_outbox_status', ['status'])
@Index('IDX_email_outbox_recipient', ['recipient'])
export class OutboxEmail {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  @Column({ type: 'varchar', length: 64 })
  template!: string;

  @Column({ type: 'varchar', length: 8 })
  locale!: string;

  @Column({ type: 'varchar', length: 300 })
  subject!: string;

  @Column({ type: 'text' })
  textBody!: string;

  @Column({ type: 'text' })
  htmlBody!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: OutboxStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  sentAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  nextAttemptAt!: Date | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP } from '../../../database/column-types.js';

/** A reminder already sent for an invoice; the primary key keeps each one to a single send. */
@Entity('invoice_reminders')
export class InvoiceReminder {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  invoiceId!: string;

  /** e.g. 'before_30', 'before_7', 'day_0', 'grace_30'. */
  @PrimaryColumn({ type: 'varchar', length: 24 })
  kind!: string;

  @Column({ type: TIMESTAMP })
  sentAt!: Date;
}

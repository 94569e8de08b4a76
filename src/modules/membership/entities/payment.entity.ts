import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** A payment staff recorded against an invoice (bank transfer). */
@Entity('payments')
@Index('IDX_payments_invoice', ['invoiceId'])
export class Payment {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  invoiceId!: string;

  @Column({ type: 'integer' })
  amountFen!: number;

  /** YYYY-MM-DD the money arrived. */
  @Column({ type: 'varchar', length: 10 })
  paidOn!: string;

  @Column({ type: 'varchar', length: 100 })
  bankReference!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  recordedBy!: string;

  @Column({ type: TIMESTAMP })
  recordedAt!: Date;
}

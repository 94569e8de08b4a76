import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type InvoiceKind = 'initial' | 'renewal';
export type InvoiceStatus = 'open' | 'paid' | 'waived';

/** A dues invoice for one membership year. Amounts in fen; the balance is amount − paid. */
@Entity('invoices')
@Index('IDX_invoices_number', ['number'], { unique: true })
@Index('IDX_invoices_firm_year_kind', ['firmId', 'year', 'kind'], { unique: true })
@Index('IDX_invoices_status_year', ['status', 'year'])
export class Invoice {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  /** SZIFA-INV-2026-000123. */
  @Column({ type: 'varchar', length: 32 })
  number!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  /** The membership year (calendar year) this invoice pays for. */
  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: InvoiceKind;

  @Column({ type: 'varchar', length: 16 })
  tier!: string;

  @Column({ type: 'integer' })
  amountFen!: number;

  @Column({ type: 'integer' })
  paidFen!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: InvoiceStatus;

  @Column({ type: TIMESTAMP })
  issuedAt!: Date;

  /** YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10 })
  dueOn!: string;

  @Column({ type: TIMESTAMP, nullable: true })
  waivedAt!: Date | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  waivedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  waivedReason!: string | null;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

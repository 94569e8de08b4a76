import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import { bigintToNumber } from '../../../database/transformers.js';

/**
 * draft ─send─▶ awaiting_signatures ─(both signed)─▶ signed
 *   ▲               └─withdraw─▶ withdrawn (a new revision may be drafted)
 */
export type SettlementStatus = 'draft' | 'awaiting_signatures' | 'signed' | 'withdrawn';

/**
 * A settlement agreement drafted by the mediator from templates/disputes/settlement-agreement.hbs.
 * When sent for signature its text is rendered once and frozen (`renderedText`, fingerprinted);
 * both parties sign exactly those bytes.
 */
@Entity('dispute_settlements')
@Index('IDX_dispute_settlements_revision', ['ticketId', 'revision'], { unique: true })
export class Settlement {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  ticketId!: string;

  /** 1, 2, ... per ticket: a withdrawn draft is followed by a new revision. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'varchar', length: 24 })
  status!: SettlementStatus;

  @Column({ type: 'text' })
  facts!: string;

  @Column({ type: 'text' })
  terms!: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  amountFen!: number;

  /** Beijing date by which the firm must perform. */
  @Column({ type: 'varchar', length: 10 })
  performanceDeadline!: string;

  @Column({ type: 'text', nullable: true })
  renderedText!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  textFingerprint!: string | null;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  draftedBy!: string;

  @Column({ type: TIMESTAMP, nullable: true })
  sentAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  signedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  performedAt!: Date | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  performedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  performanceNote!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  performanceConfirmedAt!: Date | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

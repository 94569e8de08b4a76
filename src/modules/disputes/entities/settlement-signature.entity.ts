import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type SettlementParty = 'complainant' | 'firm';
export type SettlementAuthMethod = 'password' | 'password+totp';

/**
 * One party's electronic signature of a settlement's frozen text, with the same evidence as a
 * pledge signature: typed name, versioned consent, re-authentication, request facts, a payload
 * signed with the association's Ed25519 key, and the audit event that records it.
 */
@Entity('dispute_settlement_signatures')
@Index('IDX_settlement_signatures_party', ['settlementId', 'party'], { unique: true })
@Index('IDX_settlement_signatures_ticket', ['ticketId'])
export class SettlementSignature {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  settlementId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  ticketId!: string;

  @Column({ type: 'varchar', length: 16 })
  party!: SettlementParty;

  /** The respondent firm when the firm signs (through its authorised signatory). */
  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  firmId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  textFingerprint!: string;

  @Column({ type: 'varchar', length: 32 })
  consentVersion!: string;

  @Column({ type: 'varchar', length: 64 })
  consentFingerprint!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  signerUserId!: string;

  @Column({ type: 'varchar', length: 100 })
  typedName!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  signerTitle!: string | null;

  @Column({ type: TIMESTAMP })
  signedAt!: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 16 })
  authMethod!: SettlementAuthMethod;

  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 128 })
  signature!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  auditEventId!: string;
}

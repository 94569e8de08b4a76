import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type SignerAuthMethod = 'password' | 'password+totp';

/**
 * One firm's signature of one convention version: everything the signer saw and did, the
 * canonical JSON of it (`payload`) and the association's Ed25519 signature over that JSON.
 * Never updated or deleted (PledgeSignatureSubscriber refuses it through the ORM); a firm signs
 * a version once (the unique index), and a new version gets a new row.
 */
@Entity('pledge_signatures')
@Index('IDX_pledge_signatures_firm_version', ['firmId', 'conventionVersionId'], { unique: true })
@Index('IDX_pledge_signatures_version_time', ['conventionVersionId', 'signedAt'])
export class PledgeSignature {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  conventionVersionId!: string;

  /** SHA-256 (hex) of the convention version's canonical text at signing. */
  @Column({ type: 'varchar', length: 64 })
  textFingerprint!: string;

  @Column({ type: 'varchar', length: 32 })
  consentVersion!: string;

  /** SHA-256 (hex) of the consent wording the signer ticked. */
  @Column({ type: 'varchar', length: 64 })
  consentFingerprint!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  signerUserId!: string;

  /** The full name as typed (NFC, trimmed), equal to the registered name at signing. */
  @Column({ type: 'varchar', length: 100 })
  typedName!: string;

  /** The signer's title or position, as given. */
  @Column({ type: 'varchar', length: 100 })
  signerTitle!: string;

  @Column({ type: TIMESTAMP })
  signedAt!: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 16 })
  authMethod!: SignerAuthMethod;

  /** Canonical JSON of every field above: exactly the bytes that were signed. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 64 })
  kid!: string;

  /** Ed25519 signature over `payload` (UTF-8), base64url. */
  @Column({ type: 'varchar', length: 128 })
  signature!: string;

  /** The audit event written in the signing transaction (hash chain link). */
  @Column({ type: 'varchar', length: UUID_LENGTH })
  auditEventId!: string;
}

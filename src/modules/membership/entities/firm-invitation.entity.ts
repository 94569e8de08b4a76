import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** An e-mailed invitation to join a firm's account. Only the token's SHA-256 is stored. */
@Entity('firm_invitations')
@Index('IDX_firm_invitations_token', ['tokenHash'], { unique: true })
@Index('IDX_firm_invitations_firm', ['firmId'])
export class FirmInvitation {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: 'firm_admin' | 'firm_member';

  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  invitedBy!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  expiresAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  acceptedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  revokedAt!: Date | null;
}

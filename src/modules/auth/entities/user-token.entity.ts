import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type UserTokenPurpose = 'password_reset' | 'email_verify';

/** A single-use, expiring secret sent by e-mail. Only its SHA-256 is stored. */
@Entity('user_tokens')
@Index('IDX_user_tokens_hash', ['tokenHash'], { unique: true })
@Index('IDX_user_tokens_user', ['userId'])
export class UserToken {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  userId!: string;

  @Column({ type: 'varchar', length: 24 })
  purpose!: UserTokenPurpose;

  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  expiresAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  usedAt!: Date | null;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type SessionKind = 'web' | 'api';
export type PendingStep = 'mfa' | 'mfa_enrol';

/**
 * One signed-in client. Every JWT names its session (claim `sid`), so revoking the row (logout,
 * password change) invalidates the token at once even though it has not expired.
 */
@Entity('sessions')
@Index('IDX_sessions_user', ['userId'])
export class Session {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  userId!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: SessionKind;

  /** Password accepted but the second factor (or its enrolment) still outstanding. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  pendingStep!: PendingStep | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  userAgent!: string | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  expiresAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  revokedAt!: Date | null;
}

import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import type { Role } from '../../../common/auth/roles.js';

@Entity('users')
@Index('IDX_users_email', ['email'], { unique: true })
@Index('IDX_users_firm', ['firmId'])
export class User {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  /** Stored lower-cased; unique. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: Role;

  /** Set for firm_admin and firm_member, null for everyone else. */
  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  firmId!: string | null;

  @Column({ type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 8 })
  locale!: 'zh-CN' | 'en';

  @Column({ type: TIMESTAMP, nullable: true })
  emailVerifiedAt!: Date | null;

  /** TOTP secret, encrypted with the application secret (AES-256-GCM). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  totpSecretEnc!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  totpEnabledAt!: Date | null;

  /** Last accepted TOTP time step: a code is never accepted twice (RFC 6238 §5.2). */
  @Column({ type: 'integer', nullable: true })
  totpLastStep!: number | null;

  @Column({ type: TIMESTAMP, nullable: true })
  disabledAt!: Date | null;

  @Column({ type: TIMESTAMP })
  passwordChangedAt!: Date;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

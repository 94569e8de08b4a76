import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** A one-time TOTP recovery code; only its SHA-256 is stored. */
@Entity('recovery_codes')
@Index('IDX_recovery_codes_user', ['userId'])
export class RecoveryCode {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  userId!: string;

  @Column({ type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  usedAt!: Date | null;
}

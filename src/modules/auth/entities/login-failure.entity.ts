import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/**
 * One failed sign-in, keyed by account e-mail and by client address. Kept in the database (not
 * in memory) so that throttling holds across several instances.
 */
@Entity('login_failures')
@Index('IDX_login_failures_key_time', ['key', 'createdAt'])
export class LoginFailure {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** A reminder sent to a firm before a cycle's window closes; the key makes it once only. */
@Entity('rating_reminders')
export class RatingReminder {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  cycleId!: string;

  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  /** '7d' or '1d' before the window closes. */
  @PrimaryColumn({ type: 'varchar', length: 8 })
  kind!: string;

  @Column({ type: TIMESTAMP })
  sentAt!: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** A deadline reminder already sent; the primary key keeps each one to a single send. */
@Entity('pledge_reminders')
export class PledgeReminder {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  obligationId!: string;

  /** 'before_7' | 'before_1'. */
  @Column({ type: 'varchar', length: 16, primary: true })
  kind!: string;

  @Column({ type: TIMESTAMP })
  sentAt!: Date;
}

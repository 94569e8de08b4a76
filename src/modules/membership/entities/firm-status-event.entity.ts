import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/**
 * A public, permanent entry in a firm's membership record (admitted, suspended, reinstated,
 * lapsed, expelled, withdrew), shown on its directory page like a BrokerCheck disclosure.
 */
@Entity('firm_status_events')
@Index('IDX_firm_status_events_firm', ['firmId', 'effectiveAt'])
export class FirmStatusEvent {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  /** The status the firm entered. */
  @Column({ type: 'varchar', length: 32 })
  status!: string;

  /** Public reason category, e.g. 'dues_unpaid', 'misconduct', 'voluntary'. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  reasonCategory!: string | null;

  /** Staff's written reason (shown to staff and the firm; the category is what the public sees). */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Reference of the decision (e.g. 深互金协〔2026〕12号) for expulsions. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  decisionRef!: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  until!: string | null;

  @Column({ type: TIMESTAMP })
  effectiveAt!: Date;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  actorId!: string | null;
}

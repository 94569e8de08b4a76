import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** One change to a firm's record: which fields, from what, to what, by whom. */
@Entity('firm_revisions')
@Index('IDX_firm_revisions_firm_time', ['firmId', 'changedAt'])
export class FirmRevision {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: TIMESTAMP })
  changedAt!: Date;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  actorId!: string | null;

  /** 'edit' (by the firm), 'reviewed_change' (approved by staff), 'import', ... */
  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  /** JSON: { field: { from, to } }. */
  @Column({ type: 'text' })
  changes!: string;
}

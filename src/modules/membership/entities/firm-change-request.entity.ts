import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type ChangeRequestState = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** A change to a reviewed field (legal name, credit code, legal representative) awaiting staff. */
@Entity('firm_change_requests')
@Index('IDX_firm_change_requests_firm', ['firmId'])
@Index('IDX_firm_change_requests_state', ['state', 'requestedAt'])
export class FirmChangeRequest {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  /** JSON: { field: newValue } for name, creditCode, legalRepresentative. */
  @Column({ type: 'text' })
  changes!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: ChangeRequestState;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  requestedBy!: string;

  @Column({ type: TIMESTAMP })
  requestedAt!: Date;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  decidedBy!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

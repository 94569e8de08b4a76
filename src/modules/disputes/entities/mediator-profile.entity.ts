import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type MediatorStatus = 'active' | 'inactive';

/** A mediator's profile: one per user with the mediator role. */
@Entity('mediator_profiles')
export class MediatorProfile {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  userId!: string;

  /** JSON array of language codes, e.g. ["zh","yue","en"]. */
  @Column({ type: 'text' })
  languages!: string;

  /** JSON array of complaint categories the mediator is experienced in. */
  @Column({ type: 'text' })
  specialities!: string;

  @Column({ type: 'text', nullable: true })
  bio!: string | null;

  /** Only active mediators are offered new cases. */
  @Column({ type: 'varchar', length: 12 })
  status!: MediatorStatus;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

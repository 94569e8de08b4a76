import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** One transition of an application, with the actor's comment: the application's history. */
@Entity('application_steps')
@Index('IDX_application_steps_application', ['applicationId', 'at'])
export class ApplicationStep {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  applicationId!: string;

  @Column({ type: 'varchar', length: 24 })
  action!: string;

  @Column({ type: 'varchar', length: 24 })
  fromState!: string;

  @Column({ type: 'varchar', length: 24 })
  toState!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  actorId!: string;

  @Column({ type: 'varchar', length: 32 })
  actorRole!: string;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: TIMESTAMP })
  at!: Date;
}

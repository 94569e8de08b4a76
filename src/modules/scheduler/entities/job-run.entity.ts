import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP } from '../../../database/column-types.js';

/**
 * One run of a scheduled job for one period (e.g. job 'membership.lapse', runKey '2026-11-27').
 * The primary key is the lock: of several instances, only the one whose insert succeeds acts.
 */
@Entity('job_runs')
export class JobRun {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  job!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  runKey!: string;

  @Column({ type: TIMESTAMP })
  startedAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  finishedAt!: Date | null;

  /** Short JSON summary of what the run did, or the error that stopped it. */
  @Column({ type: 'text', nullable: true })
  outcome!: string | null;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/**
 * Append-only, hash-chained record of a state change. `seq` orders the chain (assigned under a
 * lock, so it is gap-free); `prevHash` is the previous event's `hash`; `hash` is SHA-256 over this
 * event's canonical content, which includes `prevHash`.
 */
@Entity('audit_events')
@Index('IDX_audit_events_id', ['id'], { unique: true })
@Index('IDX_audit_events_subject', ['subjectType', 'subjectId'])
@Index('IDX_audit_events_actor', ['actorId'])
@Index('IDX_audit_events_action', ['action'])
@Index('IDX_audit_events_time', ['occurredAt'])
export class AuditEvent {
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: TIMESTAMP })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 32 })
  actorRole!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 64 })
  subjectType!: string;

  @Column({ type: 'varchar', length: 64 })
  subjectId!: string;

  /** Canonical JSON of what changed (never secrets). */
  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}

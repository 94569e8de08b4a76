import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/**
 * Every step of a submission's review and of its appeals, with who took it: the history the
 * firm and staff read, and the record that decides who may still act (the proposer may not
 * confirm; nobody who took part may decide the appeal).
 */
@Entity('rating_review_events')
@Index('IDX_rating_review_events_submission', ['submissionId', 'at', 'id'])
@Index('IDX_rating_review_events_actor', ['actorUserId', 'submissionId'])
export class RatingReviewEvent {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  submissionId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  actorUserId!: string | null;

  /** submit, return, propose, send_back, confirm, publish, appeal_filed, appeal_decided... */
  @Column({ type: 'varchar', length: 32 })
  action!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromState!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  toState!: string | null;

  @Column({ type: 'varchar', length: 4, nullable: true })
  grade!: string | null;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: TIMESTAMP })
  at!: Date;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  auditEventId!: string | null;
}

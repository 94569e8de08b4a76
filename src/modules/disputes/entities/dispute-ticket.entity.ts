import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import { bigintToNumber } from '../../../database/transformers.js';
import type { ComplaintCategory } from '../categories.js';
import type { AssignmentState, TicketOutcome, TicketState } from '../ticket.state.js';

/** Why staff turned a complaint away at triage. */
export const REJECT_REASONS = ['not_member', 'not_financial', 'court_or_arbitration'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * A complaint and the mediation that follows it. `state` changes only through the transition
 * table in ticket.state.ts; the mediator's assignment has its own small table
 * (assignment.state.ts). Lists page by (createdAt, id) under each filter's index.
 */
@Entity('dispute_tickets')
@Index('IDX_dispute_tickets_number', ['number'], { unique: true })
@Index('IDX_dispute_tickets_state', ['state', 'createdAt', 'id'])
@Index('IDX_dispute_tickets_firm', ['firmId', 'createdAt', 'id'])
@Index('IDX_dispute_tickets_complainant', ['complainantUserId', 'createdAt', 'id'])
@Index('IDX_dispute_tickets_mediator', ['mediatorUserId', 'createdAt', 'id'])
@Index('IDX_dispute_tickets_category', ['category', 'createdAt', 'id'])
@Index('IDX_dispute_tickets_created', ['createdAt', 'id'])
export class DisputeTicket {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  /** SZIFA-M-YYYY-NNNNNN, given at filing (drafts have none). */
  @Column({ type: 'varchar', length: 24, nullable: true })
  number!: string | null;

  @Column({ type: 'varchar', length: 24 })
  state!: TicketState;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  complainantUserId!: string;

  /** The respondent member firm. */
  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  firmId!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  category!: ComplaintCategory | null;

  /** Amount in dispute, in fen (exact). */
  @Column({ type: 'bigint', nullable: true, transformer: bigintToNumber })
  amountFen!: number | null;

  /** What happened, in the complainant's words. */
  @Column({ type: 'text' })
  facts!: string;

  /** What the complainant wants. */
  @Column({ type: 'text' })
  claim!: string;

  /** Complainant's phone, shown to the firm only once the mediator releases contact details. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  contactPhone!: string | null;

  /** The complainant's account or contract number at the firm, so the firm can find the case. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  accountRef!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  consentVersion!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  consentAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  rejectReason!: RejectReason | null;

  /** The reason given with the last decisive transition (reject, fail, withdraw, reopen). */
  @Column({ type: 'text', nullable: true })
  decisionNote!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome!: TicketOutcome | null;

  @Column({ type: 'text', nullable: true })
  firmResponse!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  firmRespondedAt!: Date | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  mediatorUserId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  assignment!: AssignmentState;

  @Column({ type: TIMESTAMP, nullable: true })
  assignedAt!: Date | null;

  /** When the mediator accepted, confirming they have no conflict with either party. */
  @Column({ type: TIMESTAMP, nullable: true })
  mediatorAcceptedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  contactReleasedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  extensionRequestedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  extensionComplainantConsentAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  extensionFirmConsentAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  extendedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  reopenedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  filedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  triagedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  mediationStartedAt!: Date | null;

  /** Settled, failed or withdrawn. */
  @Column({ type: TIMESTAMP, nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  closedAt!: Date | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

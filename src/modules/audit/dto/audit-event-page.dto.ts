import { ApiProperty } from '@nestjs/swagger';

/** One audit event as staff see it. */
export class AuditEventView {
  @ApiProperty({ type: 'integer', description: 'Position in the chain, gap-free from 1.' })
  seq!: number;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: 'string',
    description: 'Null for the system.',
  })
  actorId!: string | null;

  @ApiProperty({ example: 'staff_admin', description: 'A role, or "system".' })
  actorRole!: string;

  @ApiProperty({ example: 'auth.sign_in' })
  action!: string;

  @ApiProperty({ example: 'user' })
  subjectType!: string;

  @ApiProperty()
  subjectId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What changed, as recorded (never secrets).',
  })
  summary!: unknown;

  @ApiProperty({ type: 'string', nullable: true })
  ip!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  requestId!: string | null;

  @ApiProperty({ description: 'SHA-256 (hex) over the canonical content, prevHash included.' })
  hash!: string;

  @ApiProperty({ description: "The previous event's hash (64 zeros for the first)." })
  prevHash!: string;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventView], description: 'Newest first (seq descending).' })
  items!: AuditEventView[];

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Pass as `before` for the next (older) page; null on the last page.',
  })
  nextCursor!: number | null;
}

export class ChainBreakView {
  @ApiProperty({ type: 'integer' })
  seq!: number;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['HASH_MISMATCH', 'PREV_HASH_MISMATCH', 'SEQUENCE_GAP'] })
  reason!: string;
}

export class VerifyResultView {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ type: 'integer', description: 'Events verified before the first break (or all).' })
  checked!: number;

  @ApiProperty({ type: ChainBreakView, nullable: true })
  firstBreak!: ChainBreakView | null;
}

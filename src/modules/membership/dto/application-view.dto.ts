import { ApiProperty } from '@nestjs/swagger';
import { APPLICATION_ACTIONS, APPLICATION_STATES } from '../application.state.js';
import { TIER_CODES } from '../entities/firm.entity.js';

/** An application as staff and its own firm see it. */
export class ApplicationViewDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  firmId!: string;

  @ApiProperty()
  firmName!: string;

  @ApiProperty()
  firmCreditCode!: string;

  @ApiProperty()
  district!: string;

  @ApiProperty({ enum: APPLICATION_STATES })
  state!: string;

  @ApiProperty({ enum: TIER_CODES })
  requestedTier!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  submittedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Whole days since first submitted.',
  })
  ageDays!: number | null;

  @ApiProperty({ type: 'integer', description: 'Send it back with the next change.' })
  version!: number;
}

export class ApplicationStepDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: APPLICATION_ACTIONS })
  action!: string;

  @ApiProperty({ enum: APPLICATION_STATES })
  fromState!: string;

  @ApiProperty({ enum: APPLICATION_STATES })
  toState!: string;

  @ApiProperty({ format: 'uuid' })
  actorId!: string;

  @ApiProperty()
  actorRole!: string;

  @ApiProperty({ type: String, nullable: true })
  comment!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class ApplicationDetailDto extends ApplicationViewDto {
  @ApiProperty({ type: [ApplicationStepDto], description: 'The history, oldest first.' })
  steps!: ApplicationStepDto[];

  @ApiProperty({
    enum: APPLICATION_ACTIONS,
    isArray: true,
    description: 'What the caller may do now.',
  })
  availableActions!: string[];
}

export class ApplicationListDto {
  @ApiProperty({ type: [ApplicationViewDto] })
  items!: ApplicationViewDto[];

  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  limit!: number;

  @ApiProperty({ type: 'integer' })
  offset!: number;
}

export class ApplicationCountsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { draft: 2, submitted: 5, under_review: 3 },
    description: 'Applications per state; every state is present.',
  })
  counts!: Record<string, number>;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { APPLICATION_ACTIONS, type ApplicationAction } from '../application.state.js';

export const COMMENT_MAX = 2000;

/** One step of the application workflow. */
export class TransitionApplicationDto {
  @ApiProperty({
    enum: APPLICATION_ACTIONS,
    description:
      'submit / resubmit (firm_admin); start_review, request_changes (staff); approve, reject (staff_admin).',
  })
  @IsIn(APPLICATION_ACTIONS)
  action!: ApplicationAction;

  @ApiPropertyOptional({
    maxLength: COMMENT_MAX,
    description: 'Required for request_changes and reject; shown to the firm.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(COMMENT_MAX)
  comment?: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'The version the caller last read; a stale one answers 409 CONFLICT.',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version!: number;
}

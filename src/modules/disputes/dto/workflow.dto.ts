import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { REJECT_REASONS } from '../entities/dispute-ticket.entity.js';
import { WORKFLOW_TEXT_MAX } from '../workflow.service.js';

/** Any workflow action: the ticket version the caller last read (409 CONFLICT when stale). */
export class WorkflowActionDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'The ticket version last read; a stale one is refused with 409 CONFLICT.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class RejectTicketDto extends WorkflowActionDto {
  @ApiProperty({ enum: REJECT_REASONS, description: 'Why the complaint is out of scope.' })
  @IsString()
  @IsIn(REJECT_REASONS)
  reason!: string;

  @ApiPropertyOptional({
    maxLength: WORKFLOW_TEXT_MAX,
    description: 'Explanation to the complainant.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(WORKFLOW_TEXT_MAX)
  note?: string;
}

export class RespondTicketDto extends WorkflowActionDto {
  @ApiProperty({
    maxLength: WORKFLOW_TEXT_MAX,
    description: "The firm's response to the complaint.",
  })
  @IsString()
  @MaxLength(WORKFLOW_TEXT_MAX)
  response!: string;
}

export class WithdrawTicketDto extends WorkflowActionDto {
  @ApiPropertyOptional({ maxLength: WORKFLOW_TEXT_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(WORKFLOW_TEXT_MAX)
  reason?: string;
}

export class FailTicketDto extends WorkflowActionDto {
  @ApiProperty({ maxLength: WORKFLOW_TEXT_MAX, description: 'Why mediation failed.' })
  @IsString()
  @MaxLength(WORKFLOW_TEXT_MAX)
  reason!: string;
}

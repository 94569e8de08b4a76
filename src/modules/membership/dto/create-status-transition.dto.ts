import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import {
  MEMBERSHIP_ACTIONS,
  SANCTION_REASON_CATEGORIES,
  type MembershipAction,
} from '../membership.state.js';

export const STATUS_REASON_MAX = 2000;

/** A change of a firm's membership status asked for by a person. */
export class CreateStatusTransitionDto {
  @ApiProperty({
    enum: MEMBERSHIP_ACTIONS,
    description:
      "suspend, reinstate, expel (staff_admin); withdraw (firm_admin, own firm). lapse is the system's alone.",
  })
  @IsIn(MEMBERSHIP_ACTIONS)
  action!: MembershipAction;

  @ApiPropertyOptional({
    maxLength: STATUS_REASON_MAX,
    description:
      'Required to suspend or expel. Shown to staff and the firm; the public sees only the category.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(STATUS_REASON_MAX)
  reason?: string;

  @ApiPropertyOptional({
    enum: SANCTION_REASON_CATEGORIES,
    description: 'Required to suspend or expel (public); other actions have a fixed category.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  reasonCategory?: string;

  @ApiPropertyOptional({
    example: '2026-06-30',
    description:
      'suspend only: the last day of the suspension (Beijing date). Omit for open-ended.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' })
  until?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    example: '深互金协〔2026〕12号',
    description: 'expel only, and required there: the reference of the published decision.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  decisionRef?: string;

  @ApiPropertyOptional({ description: 'withdraw only, and required there: true.' })
  @IsOptional()
  @IsBoolean()
  confirm?: boolean;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: "The firm's version the caller last read; a stale one answers 409 CONFLICT.",
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version!: number;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { COMPLAINT_CATEGORIES } from '../categories.js';

export const FACTS_MAX = 5000;
export const CLAIM_MAX = 2000;

/**
 * A complaint draft: any subset of the fields, '' clears one. The rules that need data (the
 * respondent is a member, the category exists, the amount is exact CNY) are the service's.
 */
export class TicketDraftDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The respondent member firm.' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  firmId?: string;

  @ApiPropertyOptional({ enum: [...COMPLAINT_CATEGORIES] })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  category?: string;

  @ApiPropertyOptional({
    description: 'Amount in dispute in CNY as a decimal string, at most two decimals.',
    example: '1234.56',
  })
  @IsOptional()
  @IsString()
  @MaxLength(24)
  amount?: string;

  @ApiPropertyOptional({ description: 'What happened.', maxLength: FACTS_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(FACTS_MAX)
  facts?: string;

  @ApiPropertyOptional({ description: 'What the complainant wants.', maxLength: CLAIM_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(CLAIM_MAX)
  claim?: string;

  @ApiPropertyOptional({ example: '13800138000' })
  @IsOptional()
  @IsString()
  @Matches(/^(|\+?[0-9][0-9 -]{4,30})$/)
  contactPhone?: string;

  @ApiPropertyOptional({ description: 'Account or contract number at the firm.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  accountRef?: string;
}

export class UpdateTicketDraftDto extends TicketDraftDto {
  @ApiPropertyOptional({ type: 'integer', description: 'The version you edited (409 if stale).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

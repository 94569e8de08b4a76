import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { GRADES } from '../grades.js';
import { REVIEW_DTO_TEXT_MAX } from './review.dto.js';

export class FileAppealDto {
  @ApiProperty({ maxLength: REVIEW_DTO_TEXT_MAX, description: 'Why the firm disputes the rating.' })
  @IsOptional()
  @IsString()
  @MaxLength(REVIEW_DTO_TEXT_MAX)
  reasons?: string;
}

export class DecideAppealDto {
  @ApiProperty({ enum: ['upheld', 'changed'] })
  @IsString()
  @IsIn(['upheld', 'changed'])
  outcome!: string;

  @ApiPropertyOptional({ enum: GRADES, description: 'The new grade (outcome changed).' })
  @IsOptional()
  @IsString()
  @MaxLength(4)
  grade?: string;

  @ApiProperty({ maxLength: REVIEW_DTO_TEXT_MAX, description: 'Written rationale (required).' })
  @IsOptional()
  @IsString()
  @MaxLength(REVIEW_DTO_TEXT_MAX)
  rationale?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

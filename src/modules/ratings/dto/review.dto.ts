import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { GRADES } from '../grades.js';

export const REVIEW_DTO_TEXT_MAX = 5000;

/** Any review step: the submission version last read (409 CONFLICT when stale). */
export class ReviewActionDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'The submission version last read; a stale one is refused with 409 CONFLICT.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class ReviewCommentDto extends ReviewActionDto {
  @ApiProperty({
    maxLength: REVIEW_DTO_TEXT_MAX,
    description: 'Comments (required; COMMENT_REQUIRED when blank).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(REVIEW_DTO_TEXT_MAX)
  comment?: string;
}

export class ProposeGradeDto extends ReviewActionDto {
  @ApiProperty({ enum: GRADES, description: 'The proposed grade.' })
  @IsString()
  @MaxLength(4)
  grade!: string;

  @ApiPropertyOptional({
    maxLength: REVIEW_DTO_TEXT_MAX,
    description: 'Required when the grade differs from the computed one (RATIONALE_REQUIRED).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(REVIEW_DTO_TEXT_MAX)
  rationale?: string;
}

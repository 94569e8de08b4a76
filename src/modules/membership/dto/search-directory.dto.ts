import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CATEGORY_KEYS, type Category } from '../categories.js';
import { DIRECTORY_PAGE_DEFAULT, DIRECTORY_PAGE_MAX } from '../directory.service.js';
import { DISTRICT_KEYS, type District } from '../districts.js';
import { TIER_CODES, type TierCode } from '../entities/firm.entity.js';

/** The public directory's search; every filter is optional and they combine with AND. */
export class SearchDirectoryDto {
  @ApiPropertyOptional({
    maxLength: 100,
    example: '鹏程',
    description: 'Part of the Chinese or English name, any case.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({
    maxLength: 18,
    description: 'The whole unified social credit code (exact match).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(18)
  creditCode?: string;

  @ApiPropertyOptional({ enum: DISTRICT_KEYS })
  @IsOptional()
  @IsIn(['', ...DISTRICT_KEYS])
  district?: District | '';

  @ApiPropertyOptional({ enum: CATEGORY_KEYS })
  @IsOptional()
  @IsIn(['', ...CATEGORY_KEYS])
  category?: Category | '';

  @ApiPropertyOptional({ enum: TIER_CODES })
  @IsOptional()
  @IsIn(['', ...TIER_CODES])
  tier?: TierCode | '';

  @ApiPropertyOptional({ description: "The previous page's nextCursor (opaque)." })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: DIRECTORY_PAGE_MAX,
    default: DIRECTORY_PAGE_DEFAULT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DIRECTORY_PAGE_MAX)
  limit?: number;
}

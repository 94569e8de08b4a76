import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CATEGORY_KEYS, type Category } from '../categories.js';
import { DIRECTORY_PAGE_DEFAULT, DIRECTORY_PAGE_MAX } from '../directory.service.js';
import { DISTRICT_KEYS, type District } from '../districts.js';
import { TIER_CODES, type TierCode } from '../entities/firm.entity.js';
import { PageCursor, PageLimit } from '../../../common/dto/paging.js';

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

  @PageCursor(400)
  cursor?: string;

  @PageLimit(DIRECTORY_PAGE_MAX, DIRECTORY_PAGE_DEFAULT)
  limit?: number;
}

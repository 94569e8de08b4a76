import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { LOCALES, type Locale } from '../../../common/i18n/i18n.js';
import { CATEGORY_KEYS, type Category } from '../categories.js';
import { DISTRICT_KEYS, type District } from '../districts.js';
import {
  FIRM_STATUSES,
  TIER_CODES,
  type FirmStatus,
  type TierCode,
} from '../entities/firm.entity.js';
import { MEMBER_PAGE_DEFAULT, MEMBER_PAGE_MAX } from '../members.service.js';
import { PageCursor, PageLimit } from '../../../common/dto/paging.js';

/** Filters of the staff member list and its CSV export. Every one is served by an index. */
export class MemberFiltersDto {
  @ApiPropertyOptional({ enum: FIRM_STATUSES })
  @IsOptional()
  @IsIn(FIRM_STATUSES)
  status?: FirmStatus;

  @ApiPropertyOptional({ enum: TIER_CODES })
  @IsOptional()
  @IsIn(TIER_CODES)
  tier?: TierCode;

  @ApiPropertyOptional({ enum: DISTRICT_KEYS })
  @IsOptional()
  @IsIn(DISTRICT_KEYS)
  district?: District;

  @ApiPropertyOptional({
    enum: CATEGORY_KEYS,
    description: 'Firms that declared this business category.',
  })
  @IsOptional()
  @IsIn(CATEGORY_KEYS)
  category?: Category;

  @ApiPropertyOptional({
    maxLength: 100,
    description:
      'Part of the Chinese or English name (case-insensitive), or the beginning of the unified social credit code.',
    example: '鹏程',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({
    enum: LOCALES,
    description: 'Language of messages (and of the CSV headings and labels); zh-CN by default.',
  })
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;
}

export class ListMembersDto extends MemberFiltersDto {
  @PageCursor(600)
  cursor?: string;

  @PageLimit(MEMBER_PAGE_MAX, MEMBER_PAGE_DEFAULT)
  limit?: number;
}

import { ApiProperty } from '@nestjs/swagger';
import { CATEGORY_KEYS } from '../categories.js';
import { PUBLIC_SECTION_KEYS } from '../directory.service.js';
import { DISTRICT_KEYS } from '../districts.js';
import { TIER_CODES } from '../entities/firm.entity.js';
import { REASON_CATEGORIES } from '../membership.state.js';

class LocalisedText {
  @ApiProperty({ name: 'zh-CN' })
  'zh-CN'!: string;

  @ApiProperty()
  en!: string;
}

/** A listed member: public facts only, never contact data or documents. */
export class DirectoryItemView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Legal name (Chinese).' })
  name!: string;

  @ApiProperty({ type: 'string', nullable: true })
  nameEn!: string | null;

  @ApiProperty({ description: 'Unified social credit code (public on the business licence).' })
  creditCode!: string;

  @ApiProperty({ enum: DISTRICT_KEYS })
  district!: string;

  @ApiProperty({ enum: CATEGORY_KEYS, isArray: true })
  categories!: string[];

  @ApiProperty({ type: 'string', enum: TIER_CODES, nullable: true })
  tier!: string | null;

  @ApiProperty({ enum: ['active', 'suspended', 'expelled', 'lapsed', 'withdrawn'] })
  status!: string;

  @ApiProperty({ type: 'string', nullable: true, example: '2024-03-18' })
  memberSince!: string | null;
}

export class DirectoryPageView {
  @ApiProperty({ type: [DirectoryItemView], description: 'Ordered by name, then id.' })
  items!: DirectoryItemView[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor` for the next page.',
  })
  nextCursor!: string | null;
}

export class PublicStatusEventView {
  @ApiProperty({ description: 'The status the firm entered.' })
  status!: string;

  @ApiProperty({ type: 'string', enum: REASON_CATEGORIES, nullable: true })
  reasonCategory!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Last day of a suspension.' })
  until!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Published decision (expulsion).' })
  decisionRef!: string | null;

  @ApiProperty({ format: 'date-time' })
  effectiveAt!: string;
}

export class PublicSectionView {
  @ApiProperty({ enum: PUBLIC_SECTION_KEYS })
  key!: string;

  @ApiProperty({ description: 'False until the module that fills it is in service.' })
  available!: boolean;

  @ApiProperty({ type: LocalisedText, nullable: true })
  summary!: LocalisedText | null;

  @ApiProperty({ type: 'string', nullable: true })
  link!: string | null;
}

export class PublicFirmRecordView extends DirectoryItemView {
  @ApiProperty({ description: 'Whether directory searches list the firm.' })
  listed!: boolean;

  @ApiProperty({ type: [PublicStatusEventView], description: 'Oldest first.' })
  history!: PublicStatusEventView[];

  @ApiProperty({ type: [PublicSectionView] })
  sections!: PublicSectionView[];
}

import { ApiProperty } from '@nestjs/swagger';

export class ConventionViewDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  versionNumber!: number;

  @ApiProperty()
  titleZh!: string;

  @ApiProperty({ type: 'string', nullable: true })
  titleEn!: string | null;

  @ApiProperty({ description: 'Markdown.' })
  bodyZh!: string;

  @ApiProperty({ type: 'string', nullable: true })
  bodyEn!: string | null;

  @ApiProperty({ enum: ['draft', 'published'] })
  state!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'sha256 (hex) of the canonical text; set at publication.',
  })
  fingerprint!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: '2026-12-01' })
  effectiveOn!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  publishedAt!: string | null;

  @ApiProperty({ type: 'integer' })
  version!: number;
}

export class ConventionPreviewDto {
  @ApiProperty({ description: 'The Chinese body as HTML; the source is escaped first.' })
  zh!: string;

  @ApiProperty({ type: 'string', nullable: true })
  en!: string | null;
}

export class DiffLineDto {
  @ApiProperty({ enum: ['same', 'added', 'removed'] })
  op!: string;

  @ApiProperty()
  text!: string;

  @ApiProperty({ type: 'integer', nullable: true })
  oldLine!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  newLine!: number | null;
}

export class ConventionDiffDto {
  @ApiProperty({ type: 'integer' })
  from!: number;

  @ApiProperty({ type: 'integer' })
  to!: number;

  @ApiProperty({ type: 'integer' })
  added!: number;

  @ApiProperty({ type: 'integer' })
  removed!: number;

  @ApiProperty({ type: [DiffLineDto] })
  lines!: DiffLineDto[];
}

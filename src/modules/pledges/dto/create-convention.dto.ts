import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export const CONVENTION_TITLE_MAX = 200;
export const CONVENTION_BODY_MAX = 200_000;

/** A new draft convention version. Bodies are Markdown (headings, lists, bold). */
export class CreateConventionDto {
  @ApiProperty({ maxLength: CONVENTION_TITLE_MAX, example: '深圳市互联网金融行业自律公约' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(CONVENTION_TITLE_MAX)
  titleZh!: string;

  @ApiPropertyOptional({ type: 'string', maxLength: CONVENTION_TITLE_MAX, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(CONVENTION_TITLE_MAX)
  titleEn?: string | null;

  @ApiProperty({ maxLength: CONVENTION_BODY_MAX, description: 'Markdown.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(CONVENTION_BODY_MAX)
  bodyZh!: string;

  @ApiPropertyOptional({ type: 'string', maxLength: CONVENTION_BODY_MAX, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(CONVENTION_BODY_MAX)
  bodyEn?: string | null;
}

/** Changes to a draft; the version read last guards against a concurrent edit (409). */
export class UpdateConventionDto {
  @ApiProperty({ type: 'integer', description: 'The version of the draft as last read.' })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional({ maxLength: CONVENTION_TITLE_MAX })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(CONVENTION_TITLE_MAX)
  titleZh?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: CONVENTION_TITLE_MAX, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(CONVENTION_TITLE_MAX)
  titleEn?: string | null;

  @ApiPropertyOptional({ maxLength: CONVENTION_BODY_MAX })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(CONVENTION_BODY_MAX)
  bodyZh?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: CONVENTION_BODY_MAX, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(CONVENTION_BODY_MAX)
  bodyEn?: string | null;
}

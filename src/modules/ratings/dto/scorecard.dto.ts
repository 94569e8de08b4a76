import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class CreateScorecardDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The version to copy; the newest version when omitted.',
  })
  @IsOptional()
  @IsUUID()
  copyFromId?: string;
}

export class UpdateScorecardDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  nameZh?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  nameEn?: string;

  @ApiPropertyOptional({
    description:
      'The ScorecardDefinition, as an object or as JSON text; problems are answered with their paths (SCORECARD_INVALID, `problems`).',
    oneOf: [{ type: 'object' }, { type: 'string' }],
  })
  @Allow()
  definition?: string | Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The version read (optimistic concurrency).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

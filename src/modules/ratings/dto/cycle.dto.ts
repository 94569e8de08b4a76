import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateCycleDto {
  @ApiProperty({ maxLength: 100, example: '2026 年度评级' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  nameZh!: string;

  @ApiProperty({ maxLength: 100, example: '2026 annual rating' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  nameEn!: string;

  @ApiProperty({ format: 'uuid', description: 'A published scorecard version.' })
  @IsUUID()
  scorecardId!: string;

  @ApiProperty({
    format: 'date',
    description: 'First day of the period the figures cover (Beijing).',
  })
  @Matches(DATE)
  periodFrom!: string;

  @ApiProperty({ format: 'date', description: 'Last day of the period (inclusive).' })
  @Matches(DATE)
  periodTo!: string;

  @ApiProperty({ format: 'date', description: 'First day firms may submit.' })
  @Matches(DATE)
  opensOn!: string;

  @ApiProperty({ format: 'date', description: 'Last day firms may submit; not before today.' })
  @Matches(DATE)
  closesOn!: string;
}

export class UpdateCycleDto extends PartialType(CreateCycleDto) {
  @ApiPropertyOptional({ description: 'The version read (optimistic concurrency).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CERTIFICATE_KINDS } from '../pdf/certificate-facts.js';

export class StartBatchDto {
  @ApiProperty({ enum: CERTIFICATE_KINDS })
  @IsIn(CERTIFICATE_KINDS)
  kind!: string;

  @ApiPropertyOptional({
    description:
      'membership only: the year certified, this year (default) or next year (firms whose dues for it are not paid or waived fail with dues_unpaid).',
    minimum: 2000,
    maximum: 2999,
  })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2999)
  year?: number;
}

export class BatchListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;
}

export class BatchFailuresQueryDto extends BatchListQueryDto {}

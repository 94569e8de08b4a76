import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CERTIFICATE_KINDS } from '../pdf/certificate-facts.js';
import { PageCursor, PageLimit } from '../../../common/dto/paging.js';

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
  @PageLimit(100, 20)
  limit?: number;

  @PageCursor(64)
  cursor?: string;
}

export class BatchFailuresQueryDto extends BatchListQueryDto {}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class StatisticsPeriodQueryDto {
  @ApiPropertyOptional({
    description: 'First Beijing date (YYYY-MM-DD); default 364 days before `to`.',
  })
  @IsOptional()
  @Matches(DATE)
  from?: string;

  @ApiPropertyOptional({ description: 'Last Beijing date (YYYY-MM-DD), included; default today.' })
  @IsOptional()
  @Matches(DATE)
  to?: string;
}

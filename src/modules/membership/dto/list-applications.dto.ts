import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { APPLICATION_STATES, type ApplicationState } from '../application.state.js';
import { APPLICATION_PAGE_DEFAULT, APPLICATION_PAGE_MAX } from '../applications.service.js';
import { CATEGORY_KEYS } from '../categories.js';
import { DISTRICT_KEYS } from '../districts.js';
import { PageLimit } from '../../../common/dto/paging.js';

/** Filters of the review queue; every one is served by an index. */
export class ListApplicationsDto {
  @ApiPropertyOptional({
    enum: APPLICATION_STATES,
    description: 'Without it staff see every state but draft.',
  })
  @IsOptional()
  @IsIn(APPLICATION_STATES)
  state?: ApplicationState;

  @ApiPropertyOptional({ enum: DISTRICT_KEYS })
  @IsOptional()
  @IsIn(DISTRICT_KEYS)
  district?: string;

  @ApiPropertyOptional({ enum: CATEGORY_KEYS })
  @IsOptional()
  @IsIn(CATEGORY_KEYS)
  category?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Submitted at least this many days ago.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  minAgeDays?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Submitted at most this many days ago.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  maxAgeDays?: number;

  @PageLimit(APPLICATION_PAGE_MAX, APPLICATION_PAGE_DEFAULT)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

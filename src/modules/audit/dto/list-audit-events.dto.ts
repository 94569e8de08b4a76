import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageLimit } from '../../../common/dto/paging.js';

/** Largest page the audit list answers; a bigger `limit` is a 400, not silently capped. */
export const AUDIT_PAGE_MAX = 100;
export const AUDIT_PAGE_DEFAULT = 50;

/** A full instant with an explicit zone, so that no one's local clock changes its meaning. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE =
  '$property must be an ISO 8601 instant with a zone, e.g. 2026-03-01T00:00:00Z';

/** Filters of the audit trail; every one is served by an index on audit_events. */
export class ListAuditEventsDto {
  @ApiPropertyOptional({ example: 'auth.sign_in', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ example: 'user', maxLength: 64, description: 'Required with subjectId.' })
  @ValidateIf((o: ListAuditEventsDto) => o.subjectType !== undefined || o.subjectId !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  subjectType?: string;

  /**
   * Only together with subjectType: the index is on (subjectType, subjectId), and an id means
   * nothing without its kind anyway.
   */
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  subjectId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive lower bound (UTC instant).' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive upper bound (UTC instant).' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: "Cursor: only events with a smaller seq (the previous page's nextCursor).",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @PageLimit(AUDIT_PAGE_MAX, AUDIT_PAGE_DEFAULT)
  limit?: number;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { COMPLAINT_CATEGORIES } from '../categories.js';
import { TICKET_STATES } from '../ticket.state.js';

/** Filters of GET /tickets; the scope (own, firm, assigned, all) comes from the caller's role. */
export class ListTicketsDto {
  @ApiPropertyOptional({ enum: [...TICKET_STATES] })
  @IsOptional()
  @IsIn([...TICKET_STATES])
  state?: string;

  @ApiPropertyOptional({ enum: [...COMPLAINT_CATEGORIES] })
  @IsOptional()
  @IsIn([...COMPLAINT_CATEGORIES])
  category?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Staff only.' })
  @IsOptional()
  @IsUUID()
  firmId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Staff only.' })
  @IsOptional()
  @IsUUID()
  mediatorUserId?: string;

  @ApiPropertyOptional({ example: 'SZIFA-M-2026-000123', description: 'Staff only.' })
  @IsOptional()
  @IsString()
  @MaxLength(24)
  number?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Staff only: open clocks past due.',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

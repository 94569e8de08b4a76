import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { COMPLAINT_CATEGORIES } from '../categories.js';
import { TICKET_STATES } from '../ticket.state.js';
import { PageCursor, PageLimit } from '../../../common/dto/paging.js';

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

  @PageLimit(100, 20)
  limit?: number;

  @PageCursor(200)
  cursor?: string;
}

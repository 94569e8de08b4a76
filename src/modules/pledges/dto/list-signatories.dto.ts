import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  SIGNATORY_PAGE_DEFAULT,
  SIGNATORY_PAGE_MAX,
  STAFF_STATUSES,
  type StaffStatus,
} from '../signatory-list.service.js';

/** A page of a signatory list: keyset by firm name. */
export class ListSignatoriesDto {
  @ApiPropertyOptional({ description: "The previous page's nextCursor (opaque)." })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: SIGNATORY_PAGE_MAX,
    default: SIGNATORY_PAGE_DEFAULT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SIGNATORY_PAGE_MAX)
  limit?: number;
}

/** The staff view of one version's obligations, optionally narrowed to one status. */
export class ListObligationsDto extends ListSignatoriesDto {
  @ApiPropertyOptional({
    enum: STAFF_STATUSES,
    description: '`overdue` includes pending obligations whose deadline has passed.',
  })
  @IsOptional()
  @IsIn(STAFF_STATUSES)
  status?: StaffStatus;
}

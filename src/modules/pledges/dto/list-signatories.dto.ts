import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  SIGNATORY_PAGE_DEFAULT,
  SIGNATORY_PAGE_MAX,
  STAFF_STATUSES,
  type StaffStatus,
} from '../signatory-list.service.js';
import { PageCursor, PageLimit } from '../../../common/dto/paging.js';

/** A page of a signatory list: keyset by firm name. */
export class ListSignatoriesDto {
  @PageCursor(400)
  cursor?: string;

  @PageLimit(SIGNATORY_PAGE_MAX, SIGNATORY_PAGE_DEFAULT)
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

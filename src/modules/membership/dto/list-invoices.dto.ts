import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { InvoiceStatus } from '../entities/invoice.entity.js';
import { INVOICE_PAGE_DEFAULT, INVOICE_PAGE_MAX, INVOICE_STATUSES } from '../dues.service.js';
import { PageLimit } from '../../../common/dto/paging.js';

/** Filters of the invoice list (staff: all firms; firm users: their own firm's). */
export class ListInvoicesDto {
  @ApiPropertyOptional({ enum: INVOICE_STATUSES })
  @IsOptional()
  @IsIn(INVOICE_STATUSES)
  status?: InvoiceStatus;

  @ApiPropertyOptional({ type: 'integer', example: 2026, description: 'Membership year.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2200)
  year?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Staff only; firm users always get their own.',
  })
  @IsOptional()
  @IsUUID()
  firmId?: string;

  @PageLimit(INVOICE_PAGE_MAX, INVOICE_PAGE_DEFAULT)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

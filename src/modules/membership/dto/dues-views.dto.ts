import { ApiProperty } from '@nestjs/swagger';
import { TIER_CODES } from '../entities/firm.entity.js';
import { INVOICE_STATUSES } from '../dues.service.js';

export class TierViewDto {
  @ApiProperty({ enum: TIER_CODES })
  code!: string;

  @ApiProperty({ example: '会员单位' })
  nameZh!: string;

  @ApiProperty({ example: 'Member' })
  nameEn!: string;

  @ApiProperty({ type: 'integer', description: 'Annual fee in fen (CNY × 100).' })
  annualFeeFen!: number;

  @ApiProperty({ example: '20,000.00', description: 'Annual fee in yuan, formatted.' })
  annualFee!: string;

  @ApiProperty({ type: 'integer', description: '1 is the highest tier.' })
  rank!: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class TierListDto {
  @ApiProperty({ type: [TierViewDto] })
  items!: TierViewDto[];
}

export class InvoiceViewDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'SZIFA-INV-2026-000123' })
  number!: string;

  @ApiProperty({ format: 'uuid' })
  firmId!: string;

  @ApiProperty({ type: 'integer', example: 2026 })
  year!: number;

  @ApiProperty({ enum: ['initial', 'renewal'] })
  kind!: string;

  @ApiProperty({ enum: TIER_CODES })
  tier!: string;

  @ApiProperty({ enum: INVOICE_STATUSES })
  status!: string;

  @ApiProperty({ type: 'integer', description: 'fen' })
  amountFen!: number;

  @ApiProperty({ type: 'integer', description: 'fen' })
  paidFen!: number;

  @ApiProperty({ type: 'integer', description: 'fen still owed (0 once paid or waived)' })
  balanceFen!: number;

  @ApiProperty({ example: '16,666.67' })
  amount!: string;

  @ApiProperty({ example: '0.00' })
  paid!: string;

  @ApiProperty({ example: '16,666.67' })
  balance!: string;

  @ApiProperty({ format: 'date-time' })
  issuedAt!: string;

  @ApiProperty({ example: '2026-04-14' })
  dueOn!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  waivedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  waivedReason!: string | null;

  @ApiProperty({ type: 'integer' })
  version!: number;
}

export class PaymentViewDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: 'integer', description: 'fen' })
  amountFen!: number;

  @ApiProperty({ example: '5,000.00' })
  amount!: string;

  @ApiProperty({ example: '2026-03-20' })
  paidOn!: string;

  @ApiProperty()
  bankReference!: string;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
}

export class InvoiceDetailDto extends InvoiceViewDto {
  @ApiProperty({ type: [PaymentViewDto] })
  payments!: PaymentViewDto[];
}

export class InvoiceListItemDto extends InvoiceViewDto {
  @ApiProperty()
  firmName!: string;
}

export class InvoiceListDto {
  @ApiProperty({ type: [InvoiceListItemDto] })
  items!: InvoiceListItemDto[];

  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  limit!: number;

  @ApiProperty({ type: 'integer' })
  offset!: number;
}

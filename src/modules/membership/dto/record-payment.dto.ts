import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Matches, MaxLength, Min } from 'class-validator';
import { YUAN_EXAMPLE, YUAN_PATTERN } from './yuan.js';

/**
 * Money received against an invoice. The invoice's status follows from the amounts; a body
 * that tries to set it (`status`) is refused.
 */
export class RecordPaymentDto {
  @ApiProperty({
    example: YUAN_EXAMPLE,
    description: 'Amount received in yuan, at most two decimals.',
  })
  @IsString()
  @Matches(YUAN_PATTERN, { message: 'amount must be an amount in yuan with at most two decimals' })
  amount!: string;

  @ApiProperty({ example: '2026-03-20', description: 'The day the money arrived (YYYY-MM-DD).' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'paidOn must be a date (YYYY-MM-DD)' })
  paidOn!: string;

  @ApiProperty({ example: 'CMB20260320-0001', maxLength: 100, description: 'Bank reference.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  bankReference!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The invoice version last read.' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version!: number;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { YUAN_EXAMPLE, YUAN_PATTERN } from './yuan.js';

/** A tier's annual fee in yuan (exact to the fen). */
export class SetTierFeeDto {
  @ApiProperty({
    example: YUAN_EXAMPLE,
    description: 'Annual fee in yuan, at most two decimals; thousands separators allowed.',
  })
  @IsString()
  @Matches(YUAN_PATTERN, {
    message: 'annualFee must be an amount in yuan with at most two decimals',
  })
  annualFee!: string;
}

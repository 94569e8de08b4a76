import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { TIER_CODES, type TierCode } from '../entities/firm.entity.js';

/** Starts the caller's firm's application as a draft. The state is never part of a body. */
export class CreateApplicationDto {
  @ApiProperty({ enum: TIER_CODES, description: 'The membership tier the firm asks for.' })
  @IsIn(TIER_CODES)
  requestedTier!: TierCode;
}

import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Min } from 'class-validator';
import { TIER_CODES, type TierCode } from '../entities/firm.entity.js';

/**
 * What the firm may change while the application is a draft or changes are requested. Its
 * state changes only through transitions: a body with `state` is refused (400).
 */
export class UpdateApplicationDto {
  @ApiProperty({ enum: TIER_CODES })
  @IsIn(TIER_CODES)
  requestedTier!: TierCode;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version the caller last read.' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version!: number;
}

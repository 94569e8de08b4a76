import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { ChangeRequestState } from '../entities/firm-change-request.entity.js';

export const CHANGE_REQUEST_STATES: readonly ChangeRequestState[] = [
  'pending',
  'approved',
  'rejected',
  'withdrawn',
];

export class ListChangeRequestsDto {
  @ApiPropertyOptional({ enum: CHANGE_REQUEST_STATES, default: 'pending' })
  @IsOptional()
  @IsIn(CHANGE_REQUEST_STATES)
  state?: ChangeRequestState;
}

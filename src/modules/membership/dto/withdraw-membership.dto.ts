import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { STATUS_REASON_MAX } from './create-status-transition.dto.js';

/** The firm admin's withdrawal form (the API takes CreateStatusTransitionDto with `withdraw`). */
export class WithdrawMembershipDto {
  @IsOptional()
  @IsString()
  @MaxLength(STATUS_REASON_MAX)
  reason?: string;

  /** The checkbox: "yes" when ticked, absent otherwise. */
  @IsOptional()
  @IsIn(['yes'])
  confirm?: 'yes';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  version!: number;
}

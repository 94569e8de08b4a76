import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { REMINDER_MAX_FIRMS } from '../pledges-staff.service.js';

/** Whom to remind: the listed firms, or (overdue: true) every firm past its deadline. */
export class SendRemindersDto {
  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    isArray: true,
    maxItems: REMINDER_MAX_FIRMS,
  })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(REMINDER_MAX_FIRMS)
  firmIds?: string[];

  @ApiPropertyOptional({ description: 'Remind every firm whose deadline has passed.' })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean;
}

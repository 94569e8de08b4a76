import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NOTIFICATION_PAGE_DEFAULT, NOTIFICATION_PAGE_MAX } from '../notifications.service.js';

export class ListNotificationsDto {
  @ApiPropertyOptional({ description: "The previous page's nextCursor (opaque)." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: NOTIFICATION_PAGE_MAX,
    default: NOTIFICATION_PAGE_DEFAULT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(NOTIFICATION_PAGE_MAX)
  limit?: number;
}

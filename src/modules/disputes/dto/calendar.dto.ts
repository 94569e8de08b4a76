import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';

export class CalendarYearQueryDto {
  @ApiProperty({ type: 'integer', minimum: 2000, maximum: 2100, example: 2026 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;
}

/** A holiday on a weekday, or a weekend day worked (调休). */
export class CalendarDayDto {
  @ApiProperty({ enum: ['holiday', 'workday'] })
  @IsString()
  @IsIn(['holiday', 'workday'])
  kind!: 'holiday' | 'workday';

  @ApiProperty({ maxLength: 50, example: '国庆节' })
  @IsString()
  @MaxLength(50)
  nameZh!: string;

  @ApiProperty({ maxLength: 50, example: 'National Day' })
  @IsString()
  @MaxLength(50)
  nameEn!: string;
}

/** The calendar page's add form: the date as well. */
export class CalendarDayFormDto extends CalendarDayDto {
  @IsString()
  @MaxLength(10)
  date!: string;
}

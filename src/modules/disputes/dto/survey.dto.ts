import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class SubmitSurveyDto {
  @ApiProperty({
    description: '1 (very dissatisfied) to 5 (very satisfied).',
    minimum: 1,
    maximum: 5,
  })
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class SurveySummaryQueryDto {
  @ApiPropertyOptional({ enum: ['mediator', 'firm'], default: 'mediator' })
  @IsOptional()
  @IsIn(['mediator', 'firm'])
  by?: 'mediator' | 'firm';
}

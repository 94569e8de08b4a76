import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';

export class RecordPerformanceDto {
  @ApiProperty({ description: 'How the firm performed the agreement.', maxLength: 5000 })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  note!: string;

  @ApiPropertyOptional({ description: 'The ticket version the caller saw (409 if changed).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class ConfirmPerformanceDto {
  @ApiPropertyOptional({ description: 'The ticket version the caller saw (409 if changed).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';

export class CreateSettlementDto {
  @ApiProperty({
    description: 'The facts of the dispute as the agreement states them.',
    maxLength: 10000,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  facts!: string;

  @ApiProperty({ description: 'The terms agreed.', maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  terms!: string;

  @ApiProperty({
    description: 'Amount the firm pays, CNY as an exact decimal string (at most 2 decimals).',
    example: '1234.50',
  })
  @IsString()
  @MaxLength(20)
  amount!: string;

  @ApiProperty({ description: 'Beijing date (YYYY-MM-DD) after today.', example: '2026-12-31' })
  @IsString()
  @MaxLength(10)
  performanceDeadline!: string;
}

export class UpdateSettlementDto {
  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  facts?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  terms?: string;

  @ApiPropertyOptional({ example: '1234.50' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  amount?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  performanceDeadline?: string;

  @ApiPropertyOptional({ description: 'The settlement version the caller saw (409 if changed).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class SettlementVersionDto {
  @ApiPropertyOptional({ description: 'The settlement version the caller saw (409 if changed).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

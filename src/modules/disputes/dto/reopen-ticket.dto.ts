import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';

export class ReopenTicketDto {
  @ApiProperty({ description: 'Why the agreement was not performed.', maxLength: 5000 })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reason!: string;

  @ApiPropertyOptional({ description: 'The ticket version the caller saw (409 if changed).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

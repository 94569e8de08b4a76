import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class FileTicketDto {
  @ApiPropertyOptional({
    description: 'Must be true: the complainant accepts the mediation rules.',
  })
  @IsOptional()
  @IsBoolean()
  consent?: boolean;

  @ApiPropertyOptional({ description: 'The version of the rules shown (GET /rules).' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  rulesVersion?: string;

  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Exactly one of the two fields. */
export class CompleteMfaDto {
  @ApiPropertyOptional({
    example: '492039',
    description: 'The 6-digit code from the authenticator app.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  code?: string;

  @ApiPropertyOptional({
    example: 'k7pm-q2xe-9a',
    description: 'One unused recovery code (each works once).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  recoveryCode?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class SignSettlementDto {
  @ApiProperty({ description: 'The signer’s full name, exactly as registered.', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  typedName!: string;

  @ApiPropertyOptional({
    description: 'The firm signatory’s title (required when signing for the firm).',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  signerTitle?: string;

  @ApiPropertyOptional({
    description: 'Explicit consent to sign electronically (settlement-consent-v1); must be true.',
  })
  @IsOptional()
  @IsBoolean()
  consent?: boolean;

  @ApiProperty({ description: 'The signer’s password (re-authentication).', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  password!: string;

  @ApiPropertyOptional({ description: 'A current TOTP code; required when the signer uses TOTP.' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  totpCode?: string;
}

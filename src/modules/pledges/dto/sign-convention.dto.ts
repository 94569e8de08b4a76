import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class SignConventionDto {
  @ApiProperty({ format: 'uuid', description: 'The signing firm (the signatory’s own).' })
  @IsUUID()
  firmId!: string;

  @ApiProperty({ format: 'uuid', description: 'The convention version in force.' })
  @IsUUID()
  conventionVersionId!: string;

  @ApiProperty({ description: 'The signer’s full name, exactly as registered.', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  typedName!: string;

  @ApiProperty({ description: 'The signer’s title or position in the firm.', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  signerTitle!: string;

  @ApiPropertyOptional({
    description:
      'Explicit consent to sign electronically (the wording of consent-v1); must be true.',
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

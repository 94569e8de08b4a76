import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CERTIFICATE_KINDS } from '../pdf/certificate-facts.js';
import { PageCursor, PageLimit } from '../../../common/dto/paging.js';

export class IssueCertificateDto {
  @ApiProperty({ enum: CERTIFICATE_KINDS })
  @IsIn(CERTIFICATE_KINDS)
  kind!: string;

  @ApiProperty({
    description: 'membership: the firm id; pledge: the signature id; rating: the firm rating id.',
    maxLength: 64,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  subjectId!: string;

  @ApiPropertyOptional({
    description:
      'membership only: the year certified, this year (default) or next year once its dues are paid or waived.',
    minimum: 2000,
    maximum: 2999,
  })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2999)
  year?: number;
}

export class RevokeCertificateDto {
  @ApiProperty({ description: 'Why the certificate is revoked.', maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  reason!: string;
}

export class CertificateListQueryDto {
  @ApiPropertyOptional({ description: 'Staff only; firm users always see their own firm.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  firmId?: string;

  @ApiPropertyOptional({ enum: CERTIFICATE_KINDS })
  @IsOptional()
  @IsIn(CERTIFICATE_KINDS)
  kind?: string;

  @ApiPropertyOptional({ enum: ['valid', 'revoked'] })
  @IsOptional()
  @IsIn(['valid', 'revoked'])
  status?: string;

  @PageLimit(100, 50)
  limit?: number;

  @PageCursor(32)
  cursor?: string;
}

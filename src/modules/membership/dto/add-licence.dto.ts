import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class AddLicenceDto {
  @ApiProperty({ example: '支付业务许可证', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  type!: string;

  @ApiProperty({ example: 'Z2004944000011', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  number!: string;

  @ApiProperty({ example: '中国人民银行', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  issuer!: string;

  @ApiProperty({ example: '2021-05-03', description: 'First day of validity, YYYY-MM-DD.' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2026-05-02',
    description: 'Last day of validity, YYYY-MM-DD; absent for a licence without an end.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validTo must be a date (YYYY-MM-DD)' })
  validTo?: string | null;
}

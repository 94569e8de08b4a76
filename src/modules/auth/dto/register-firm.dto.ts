import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DISTRICT_KEYS, type District } from '../../membership/districts.js';

export class RegisterFirmDto {
  @ApiProperty({ example: '深圳市示例金融科技有限公司', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  firmName!: string;

  @ApiPropertyOptional({ example: 'Shenzhen Example Fintech Co., Ltd.', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  firmNameEn?: string;

  @ApiProperty({
    example: '91440300MA5FXXXXXX',
    description:
      'Unified social credit code (统一社会信用代码, GB 32100), 18 characters with a check character.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  creditCode!: string;

  @ApiProperty({ enum: DISTRICT_KEYS })
  @IsIn(DISTRICT_KEYS)
  district!: District;

  @ApiProperty({
    example: 'admin@example-fintech.cn',
    maxLength: 254,
    description: "The firm administrator's e-mail.",
  })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: '韩梅梅', maxLength: 100, description: "The firm administrator's name." })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;
}

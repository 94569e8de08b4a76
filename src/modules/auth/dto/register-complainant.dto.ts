import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { LOCALES, type Locale } from '../../../common/i18n/i18n.js';

export class RegisterComplainantDto {
  @ApiProperty({ example: 'li.lei@example.cn', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: '李雷', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;

  @ApiPropertyOptional({
    enum: LOCALES,
    description: 'Language of e-mails; the request language when absent.',
  })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

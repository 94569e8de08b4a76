import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { CATEGORY_KEYS, type Category } from '../categories.js';
import { DISTRICT_KEYS, type District } from '../districts.js';

/**
 * The fields a firm edits without review. Deliberately absent: name, creditCode and
 * legalRepresentative (a change request), status and tier (workflows): the global pipe refuses
 * a body that sends them. A field left out stays as it is; null clears an optional one.
 */
export class UpdateFirmProfileDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, example: 'Example Fintech' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameEn?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '10000000.00',
    description: '注册资本 in yuan (CNY), at most two decimals; stored exactly in fen.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,12}(\.\d{1,2})?$/, {
    message: 'registeredCapital must be an amount in yuan with at most two decimals',
  })
  registeredCapital?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2015-06-01',
    description: '成立日期, YYYY-MM-DD.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'establishedOn must be a date (YYYY-MM-DD)' })
  establishedOn?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string | null;

  @ApiPropertyOptional({ enum: DISTRICT_KEYS })
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(DISTRICT_KEYS)
  district?: District;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 300,
    example: 'https://example.cn',
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(300)
  website?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  contactName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 30, example: '0755-8888 6666' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9+()\- ]{5,30}$/, { message: 'contactPhone must be a telephone number' })
  contactPhone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 254 })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string | null;

  @ApiPropertyOptional({
    enum: CATEGORY_KEYS,
    isArray: true,
    description: 'The business categories, replacing the current list.',
  })
  @ValidateIf((_, value) => value !== undefined)
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(CATEGORY_KEYS.length)
  @IsIn(CATEGORY_KEYS, { each: true })
  categories?: Category[];
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** New values for the reviewed fields; send only those that change. */
export class RequestFirmChangeDto {
  @ApiPropertyOptional({ example: '深圳市示例金融科技有限公司', maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    example: '91440300MA5FXXXXXX',
    description: '统一社会信用代码 (GB 32100-2015), 18 characters with a check character.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  creditCode?: string;

  @ApiPropertyOptional({ example: '李雷', maxLength: 50 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  legalRepresentative?: string;
}

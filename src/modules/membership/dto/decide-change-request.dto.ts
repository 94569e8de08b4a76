import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ApproveChangeRequestDto {
  @ApiPropertyOptional({ maxLength: 2000, description: "The reviewer's comment." })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RejectChangeRequestDto {
  @ApiProperty({ maxLength: 2000, description: 'Why the change is refused (the firm reads it).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  comment!: string;
}

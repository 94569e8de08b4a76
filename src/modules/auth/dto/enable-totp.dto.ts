import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class EnableTotpDto {
  @ApiProperty({
    example: '492039',
    description: 'The 6-digit code the authenticator app shows now.',
  })
  @IsString()
  @Matches(/^\s*\d{3}\s?\d{3}\s*$/, { message: 'code must be 6 digits' })
  code!: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class VerifyEmailDto {
  @ApiProperty({ description: 'The token from the link in the verification e-mail.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token!: string;
}

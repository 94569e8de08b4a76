import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class CheckTextDto {
  @ApiProperty({
    description: 'The text to compare; canonicalised (NFC, \\n line ends, no trailing blanks).',
    maxLength: 1_000_000,
  })
  @IsString()
  @MaxLength(1_000_000)
  text!: string;
}

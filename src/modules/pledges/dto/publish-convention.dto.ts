import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Min } from 'class-validator';

export class PublishConventionDto {
  @ApiProperty({ type: 'integer', description: 'The version of the draft as last read.' })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ example: '2026-12-01', description: 'Beijing date, today or later.' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  effectiveOn!: string;
}

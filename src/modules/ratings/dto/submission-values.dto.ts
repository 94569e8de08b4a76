import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, Min } from 'class-validator';

export class SaveSubmissionValuesDto {
  @ApiProperty({
    description:
      'Indicator key → value as text (decimal, "yes"/"no", or a choice value); "" or null clears one. ' +
      'Only firm indicators: the dispute indicators are computed by the platform (READ_ONLY).',
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    example: { paid_in_capital: '60000', depository_custody: 'yes' },
  })
  @IsObject()
  values!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The version read (optimistic concurrency).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

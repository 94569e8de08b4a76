import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, MaxLength, Min } from 'class-validator';

/** Waives what is still owed on an invoice. */
export class WaiveInvoiceDto {
  @ApiProperty({
    maxLength: 1000,
    description: 'Why the association waives it; kept on the invoice.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The invoice version last read.' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version!: number;
}

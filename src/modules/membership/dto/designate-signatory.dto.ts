import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class DesignateSignatoryDto {
  @ApiProperty({
    format: 'uuid',
    description: 'An active user of the same firm, who signs pledges and settlements for it.',
  })
  @IsUUID()
  userId!: string;
}

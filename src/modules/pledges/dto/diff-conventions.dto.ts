import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';

export class DiffConventionsDto {
  @ApiProperty({ type: 'integer', example: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from!: number;

  @ApiProperty({ type: 'integer', example: 2 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to!: number;
}

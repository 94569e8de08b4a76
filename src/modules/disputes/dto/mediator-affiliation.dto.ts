import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  AFFILIATION_RELATIONS,
  type AffiliationRelation,
} from '../entities/mediator-affiliation.entity.js';

export class CreateAffiliationDto {
  @ApiProperty({ description: 'The member firm the tie is with.' })
  @IsUUID()
  firmId!: string;

  @ApiProperty({ enum: AFFILIATION_RELATIONS })
  @IsIn(AFFILIATION_RELATIONS)
  relation!: AffiliationRelation;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Beijing date (YYYY-MM-DD) the tie ended; omit or null while it lasts.',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  endedOn?: string | null;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;
}

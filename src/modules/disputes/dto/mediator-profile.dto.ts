import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { COMPLAINT_CATEGORIES, type ComplaintCategory } from '../categories.js';
import type { MediatorStatus } from '../entities/mediator-profile.entity.js';

export const MEDIATOR_STATUSES: readonly MediatorStatus[] = ['active', 'inactive'];
/** Language codes like zh, en, yue, zh-Hant. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export class UpdateMediatorDto {
  @ApiPropertyOptional({ type: [String], description: 'Language codes, e.g. ["zh","yue","en"].' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(LANGUAGE_CODE, { each: true })
  languages?: string[];

  @ApiPropertyOptional({ enum: COMPLAINT_CATEGORIES, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(COMPLAINT_CATEGORIES, { each: true })
  specialities?: ComplaintCategory[];

  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  bio?: string | null;

  @ApiPropertyOptional({ enum: MEDIATOR_STATUSES, description: 'Staff only.' })
  @IsOptional()
  @IsIn(MEDIATOR_STATUSES)
  status?: MediatorStatus;
}

export class CreateMediatorDto extends UpdateMediatorDto {
  @ApiProperty({ description: 'A user whose role is mediator.' })
  @IsUUID()
  userId!: string;
}

export class MediatorAffiliationResponse {
  @ApiProperty() id!: string;
  @ApiProperty() firmId!: string;
  @ApiProperty({ nullable: true, type: String }) firmName!: string | null;
  @ApiProperty({ enum: ['employed', 'advised', 'shareholder'] }) relation!: string;
  @ApiProperty({ nullable: true, type: String }) endedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty() declaredAt!: string;
  @ApiProperty({ nullable: true, type: String }) removedAt!: string | null;
  @ApiProperty({ description: 'Bars cases against this firm today.' }) conflicting!: boolean;
}

export class MediatorResponse {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty({ type: [String] }) specialities!: string[];
  @ApiProperty({ nullable: true, type: String }) bio!: string | null;
  @ApiProperty({ enum: MEDIATOR_STATUSES }) status!: MediatorStatus;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [MediatorAffiliationResponse] })
  affiliations!: MediatorAffiliationResponse[];
}

export class MediatorListResponse {
  @ApiProperty({ type: [MediatorResponse] }) items!: MediatorResponse[];
}

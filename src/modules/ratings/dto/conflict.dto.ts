import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CONFLICT_NOTE_MAX } from '../conflicts.service.js';

export class DeclareConflictDto {
  @ApiProperty({ format: 'uuid', description: 'The firm the reviewer is linked to.' })
  @IsUUID()
  firmId!: string;

  @ApiProperty({ maxLength: CONFLICT_NOTE_MAX, description: 'What the link is.' })
  @IsString()
  @MaxLength(CONFLICT_NOTE_MAX)
  note!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Staff admin only: declare for another reviewer (default: yourself).',
  })
  @IsOptional()
  @IsUUID()
  reviewerUserId?: string;
}

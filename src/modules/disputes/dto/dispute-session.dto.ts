import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { SESSION_MODES, type SessionMode } from '../entities/dispute-session.entity.js';

export class ScheduleSessionDto {
  @ApiProperty({ description: 'ISO 8601 start time, in the future.' })
  @IsISO8601()
  startsAt!: string;

  @ApiProperty({ minimum: 15, maximum: 480 })
  @IsInt()
  durationMinutes!: number;

  @ApiProperty({ enum: SESSION_MODES })
  @IsIn(SESSION_MODES)
  mode!: SessionMode;

  @ApiProperty({ maxLength: 500, description: 'Meeting link (online) or address (offline).' })
  @IsString()
  @MaxLength(1000)
  place!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class SessionResponse {
  @ApiProperty() id!: string;
  @ApiProperty() ticketId!: string;
  @ApiProperty() startsAt!: string;
  @ApiProperty() durationMinutes!: number;
  @ApiProperty({ enum: SESSION_MODES }) mode!: SessionMode;
  @ApiProperty() place!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelledAt!: string | null;
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionResponse] }) items!: SessionResponse[];
}

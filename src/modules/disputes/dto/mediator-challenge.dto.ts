import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import type { ChallengeDecision } from '../entities/mediator-challenge.entity.js';

export const CHALLENGE_DECISIONS: readonly ChallengeDecision[] = ['upheld', 'dismissed'];

export class CreateChallengeDto {
  @ApiProperty({ maxLength: 5000, description: 'Why the mediator should step aside.' })
  @IsString()
  @MaxLength(5000)
  reason!: string;
}

export class DecideChallengeDto {
  @ApiProperty({ enum: CHALLENGE_DECISIONS })
  @IsIn(CHALLENGE_DECISIONS)
  decision!: ChallengeDecision;

  @ApiProperty({ maxLength: 5000 })
  @IsString()
  @MaxLength(5000)
  note!: string;
}

export class ChallengeResponse {
  @ApiProperty() id!: string;
  @ApiProperty() ticketId!: string;
  @ApiProperty({ enum: ['complainant', 'firm'] }) party!: string;
  @ApiProperty() mediatorUserId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, enum: CHALLENGE_DECISIONS }) decision!: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionNote!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
}

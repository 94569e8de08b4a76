import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';

export class ExpectedVersionDto {
  @ApiPropertyOptional({ description: 'The ticket version the caller saw; 409 when stale.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class AssignMediatorDto extends ExpectedVersionDto {
  @ApiProperty()
  @IsUUID()
  mediatorUserId!: string;
}

export class AcceptAssignmentDto extends ExpectedVersionDto {
  @ApiProperty({ description: 'Must be true: the mediator has no conflict with either party.' })
  @IsBoolean()
  noConflict!: boolean;
}

export class DeclineAssignmentDto extends ExpectedVersionDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  reason!: string;
}

export class AssignmentResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) number!: string | null;
  @ApiProperty({ enum: ['none', 'offered', 'open', 'accepted'] }) assignment!: string;
  @ApiProperty({ nullable: true, type: String }) mediatorUserId!: string | null;
  @ApiProperty({ nullable: true, type: String }) contactReleasedAt!: string | null;
  @ApiProperty() version!: number;
}

export class PoolItemResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) number!: string | null;
  @ApiProperty() state!: string;
  @ApiProperty({ nullable: true, type: String }) category!: string | null;
  @ApiProperty({ nullable: true, type: String }) firmName!: string | null;
  @ApiProperty({ nullable: true, type: String }) filedAt!: string | null;
  @ApiProperty() version!: number;
}

export class PoolResponse {
  @ApiProperty({ type: [PoolItemResponse] }) items!: PoolItemResponse[];
}

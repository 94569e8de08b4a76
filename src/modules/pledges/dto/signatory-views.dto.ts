import { ApiProperty } from '@nestjs/swagger';
import { SIGNATORY_STATUSES, STAFF_STATUSES } from '../signatory-list.service.js';

export class VersionSummaryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: 'integer' })
  number!: number;

  @ApiProperty()
  titleZh!: string;

  @ApiProperty({ type: 'string', nullable: true })
  titleEn!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: '2026-12-01' })
  effectiveOn!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'SHA-256 of the canonical text.' })
  fingerprint!: string | null;

  @ApiProperty()
  inForce!: boolean;
}

export class SignatoryEntryView {
  @ApiProperty({ format: 'uuid' })
  firmId!: string;

  @ApiProperty()
  firmName!: string;

  @ApiProperty({ type: 'string', nullable: true })
  firmNameEn!: string | null;

  @ApiProperty()
  creditCode!: string;

  @ApiProperty({ enum: SIGNATORY_STATUSES })
  status!: string;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When the firm signed, or when its obligation ended (withdrawal, expulsion).',
  })
  date!: string | null;
}

class SignatoryCountsView {
  @ApiProperty({ type: 'integer' })
  signed!: number;

  @ApiProperty({ type: 'integer' })
  outstanding!: number;
}

export class SignatoryPageView {
  @ApiProperty({ type: VersionSummaryView })
  version!: VersionSummaryView;

  @ApiProperty({ type: SignatoryCountsView })
  counts!: SignatoryCountsView;

  @ApiProperty({ type: SignatoryEntryView, isArray: true })
  items!: SignatoryEntryView[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}

export class StaffEntryView {
  @ApiProperty({ format: 'uuid' })
  obligationId!: string;

  @ApiProperty({ format: 'uuid' })
  firmId!: string;

  @ApiProperty()
  firmName!: string;

  @ApiProperty({ type: 'string', nullable: true })
  firmNameEn!: string | null;

  @ApiProperty()
  firmStatus!: string;

  @ApiProperty({ enum: STAFF_STATUSES })
  status!: string;

  @ApiProperty({ example: '2026-12-31' })
  deadlineOn!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  signedAt!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  endedAt!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  endedReason!: string | null;
}

class StaffCountsView {
  @ApiProperty({ type: 'integer' })
  signed!: number;

  @ApiProperty({ type: 'integer' })
  pending!: number;

  @ApiProperty({ type: 'integer' })
  overdue!: number;
}

export class StaffPageView {
  @ApiProperty({ type: VersionSummaryView })
  version!: VersionSummaryView;

  @ApiProperty({ type: StaffCountsView })
  counts!: StaffCountsView;

  @ApiProperty({ type: StaffEntryView, isArray: true })
  items!: StaffEntryView[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}

class RemindedFirmView {
  @ApiProperty({ format: 'uuid' })
  firmId!: string;

  @ApiProperty({ type: 'integer', description: 'People e-mailed: the signatory and the admins.' })
  recipients!: number;
}

export class ReminderResultView {
  @ApiProperty({ type: 'integer' })
  versionNumber!: number;

  @ApiProperty({ type: RemindedFirmView, isArray: true })
  firms!: RemindedFirmView[];
}

import { ApiProperty } from '@nestjs/swagger';
import { FIRM_STATUSES } from '../entities/firm.entity.js';
import { REASON_CATEGORIES } from '../membership.state.js';

/** One entry of a firm's membership record, as staff and the firm's own users see it. */
export class StatusEventView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: FIRM_STATUSES, description: 'The status the firm entered.' })
  status!: string;

  @ApiProperty({ type: 'string', enum: REASON_CATEGORIES, nullable: true })
  reasonCategory!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Not public.' })
  reason!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  decisionRef!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: '2026-06-30' })
  until!: string | null;

  @ApiProperty({ format: 'date-time' })
  effectiveAt!: string;
}

export class StatusChangeResponse {
  @ApiProperty({ format: 'uuid' })
  firmId!: string;

  @ApiProperty({ enum: FIRM_STATUSES })
  status!: string;

  @ApiProperty({ type: 'integer', description: "The firm's new version." })
  version!: number;

  @ApiProperty({ type: StatusEventView })
  event!: StatusEventView;
}

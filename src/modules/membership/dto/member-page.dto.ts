import { ApiProperty } from '@nestjs/swagger';
import { FIRM_STATUSES, TIER_CODES } from '../entities/firm.entity.js';
import { IMPORT_COLUMNS } from '../members-csv.js';

/** One firm in the staff member list. */
export class MemberView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '深圳市鹏程易付科技有限公司' })
  name!: string;

  @ApiProperty({ type: 'string', nullable: true })
  nameEn!: string | null;

  @ApiProperty({ example: '91440300MA5F6PX58E' })
  creditCode!: string;

  @ApiProperty({ example: 'futian' })
  district!: string;

  @ApiProperty({ enum: TIER_CODES, nullable: true })
  tier!: string | null;

  @ApiProperty({ enum: FIRM_STATUSES })
  status!: string;

  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'Beijing date.' })
  memberSince!: string | null;

  @ApiProperty({
    type: 'integer',
    description: "Sum of the balances of the firm's open invoices, in fen.",
  })
  balanceDueFen!: number;

  @ApiProperty({ example: '12,500.00', description: 'balanceDueFen in yuan, formatted.' })
  balanceDue!: string;
}

export class MemberPageView {
  @ApiProperty({ type: [MemberView], description: 'In name order.' })
  items!: MemberView[];

  @ApiProperty({ type: 'integer', description: 'Firms matching the filters, over all pages.' })
  total!: number;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}

/** Why one line of an import file was refused. */
export class ImportProblemView {
  @ApiProperty({ type: 'integer', description: '1-based; the header is line 1.' })
  line!: number;

  @ApiProperty({
    enum: IMPORT_COLUMNS,
    nullable: true,
    description: 'Null for the whole line or file.',
  })
  column!: string | null;

  @ApiProperty({ example: 'CREDIT_CODE_INVALID' })
  code!: string;

  @ApiProperty({
    type: 'object',
    properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } },
  })
  message!: { 'zh-CN': string; en: string };
}

export class ImportedFirmView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: 'integer' })
  line!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  creditCode!: string;
}

export class ImportResultView {
  @ApiProperty({ format: 'uuid', description: 'Names the import in the audit trail.' })
  batchId!: string;

  @ApiProperty({ type: 'integer' })
  imported!: number;

  @ApiProperty({ type: [ImportedFirmView] })
  firms!: ImportedFirmView[];
}

import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';
import { bigintToNumber } from '../../../database/transformers.js';

/** Where a firm stands with the association. */
export const FIRM_STATUSES = [
  'applicant',
  'active',
  'suspended',
  'lapsed',
  'expelled',
  'withdrawn',
  'rejected',
] as const;
export type FirmStatus = (typeof FIRM_STATUSES)[number];

/** Membership tiers, highest first: 会长单位, 副会长单位, 理事单位, 会员单位. */
export const TIER_CODES = ['president', 'vice_president', 'council', 'member'] as const;
export type TierCode = (typeof TIER_CODES)[number];

/**
 * A member (or applicant) firm. Legal name, credit code and legal representative change only
 * through staff review (FirmChangeRequest); the firm edits the rest directly. Every change is
 * kept in FirmRevision.
 */
@Entity('firms')
@Index('IDX_firms_credit_code', ['creditCode'], { unique: true })
@Index('IDX_firms_district', ['district'])
@Index('IDX_firms_status_name', ['status', 'name', 'id'])
// The public directory's keyset walks (migration 1764460800030 says why each exists).
@Index('IDX_firms_status_name_search', ['status', 'name', 'id', 'searchText'])
@Index('IDX_firms_status_district_name', ['status', 'district', 'name', 'id'])
@Index('IDX_firms_status_tier_name', ['status', 'tier', 'name', 'id'])
@Index('IDX_firms_tier', ['tier'])
export class Firm {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  /** Legal name in Chinese. */
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  nameEn!: string | null;

  /** Lower-cased Chinese and English names, for partial search. */
  @Column({ type: 'varchar', length: 420, nullable: true })
  searchText!: string | null;

  /** 统一社会信用代码 (GB 32100-2015), 18 characters. */
  @Column({ type: 'varchar', length: 18 })
  creditCode!: string;

  /** 法定代表人. */
  @Column({ type: 'varchar', length: 50, nullable: true })
  legalRepresentative!: string | null;

  /** 注册资本 in fen (CNY × 100), exact. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintToNumber })
  registeredCapitalFen!: number | null;

  /** 成立日期, a calendar date YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  establishedOn!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address!: string | null;

  @Column({ type: 'varchar', length: 32 })
  district!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  website!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  contactName!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  contactPhone!: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  contactEmail!: string | null;

  @Column({ type: 'varchar', length: 32 })
  status!: FirmStatus;

  @Column({ type: 'varchar', length: 16, nullable: true })
  tier!: TierCode | null;

  /** The date the firm first became a member (YYYY-MM-DD, Beijing calendar). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  memberSince!: string | null;

  /** Last day of a suspension; reinstated automatically the day after. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  suspendedUntil!: string | null;

  /** The user who signs pledges and settlement agreements for the firm. */
  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  signatoryUserId!: string | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

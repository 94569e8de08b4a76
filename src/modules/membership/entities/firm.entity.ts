import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/**
 * A member (or applicant) firm. Minimal in the foundation; the membership module grows it.
 */
@Entity('firms')
@Index('IDX_firms_credit_code', ['creditCode'], { unique: true })
@Index('IDX_firms_district', ['district'])
export class Firm {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  /** Legal name in Chinese. */
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  nameEn!: string | null;

  /** 统一社会信用代码 (GB 32100-2015), 18 characters. */
  @Column({ type: 'varchar', length: 18 })
  creditCode!: string;

  @Column({ type: 'varchar', length: 32 })
  district!: string;

  @Column({ type: 'varchar', length: 32 })
  status!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

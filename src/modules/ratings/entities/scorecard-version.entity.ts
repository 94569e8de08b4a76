import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/**
 * One version of the scorecard. `definition` is the JSON of scorecard.ts's ScorecardDefinition,
 * editable while the version is a draft; published versions never change (a cycle scores
 * against them), and a new need gets a new version.
 */
@Entity('rating_scorecards')
@Index('IDX_rating_scorecards_number', ['number'], { unique: true })
export class ScorecardVersion {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  /** 1, 2, 3... */
  @Column({ type: 'integer' })
  number!: number;

  @Column({ type: 'varchar', length: 100 })
  nameZh!: string;

  @Column({ type: 'varchar', length: 100 })
  nameEn!: string;

  @Column({ type: 'text' })
  definition!: string;

  /** sha256 of the canonical JSON, set at publication. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  fingerprint!: string | null;

  @Column({ type: 'varchar', length: 12 })
  status!: 'draft' | 'published';

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  createdBy!: string | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  publishedAt!: Date | null;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

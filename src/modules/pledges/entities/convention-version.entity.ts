import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export type ConventionState = 'draft' | 'published';

/**
 * One version of the self-discipline convention (自律公约). A draft may be edited; once
 * published its text and fingerprint never change (conventions.subscriber.ts refuses it).
 */
@Entity('convention_versions')
@Index('IDX_convention_versions_number', ['versionNumber'], { unique: true })
@Index('IDX_convention_versions_state_effective', ['state', 'effectiveOn'])
export class ConventionVersion {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  /** 1, 2, …: the number people cite and the public URL uses. */
  @Column({ type: 'integer' })
  versionNumber!: number;

  @Column({ type: 'varchar', length: 200 })
  titleZh!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  titleEn!: string | null;

  /** Markdown. */
  @Column({ type: 'text' })
  bodyZh!: string;

  @Column({ type: 'text', nullable: true })
  bodyEn!: string | null;

  @Column({ type: 'varchar', length: 16 })
  state!: ConventionState;

  /** sha256 hex of the canonical text, set at publication. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  fingerprint!: string | null;

  /** Beijing date YYYY-MM-DD from which the version is in force; set at publication. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  effectiveOn!: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  publishedBy!: string | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}

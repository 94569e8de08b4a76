import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export const DOCUMENT_KINDS = ['business_licence', 'articles', 'licence', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A file a firm uploaded. The bytes live in the content-addressed store under their SHA-256. */
@Entity('firm_documents')
@Index('IDX_firm_documents_firm', ['firmId', 'uploadedAt'])
export class FirmDocument {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: DocumentKind;

  /** The uploader's file name, for display only. */
  @Column({ type: 'varchar', length: 255 })
  fileName!: string;

  /** Determined from the content, never from the name. */
  @Column({ type: 'varchar', length: 64 })
  contentType!: string;

  @Column({ type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  uploadedBy!: string;

  @Column({ type: TIMESTAMP })
  uploadedAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  removedAt!: Date | null;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** A supporting document of a submission or of an appeal; bytes in the FileStore. */
@Entity('rating_documents')
@Index('IDX_rating_documents_submission', ['submissionId', 'uploadedAt'])
@Index('IDX_rating_documents_appeal', ['appealId'])
export class RatingDocument {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  submissionId!: string;

  /** Set when the document supports an appeal rather than the submission itself. */
  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  appealId!: string | null;

  @Column({ type: 'varchar', length: 255 })
  fileName!: string;

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

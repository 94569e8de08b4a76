import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

export const AFFILIATION_RELATIONS = ['employed', 'advised', 'shareholder'] as const;
export type AffiliationRelation = (typeof AFFILIATION_RELATIONS)[number];

/**
 * A tie a mediator declared with a firm. Ties that ended more than three years ago no longer
 * conflict; removed declarations are kept (with removedAt) as evidence of what was declared.
 */
@Entity('mediator_affiliations')
@Index('IDX_mediator_affiliations_mediator', ['mediatorUserId'])
@Index('IDX_mediator_affiliations_firm', ['firmId'])
export class MediatorAffiliation {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  mediatorUserId!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: 16 })
  relation!: AffiliationRelation;

  /** Beijing date the tie ended; null while it lasts. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  endedOn!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  declaredBy!: string;

  @Column({ type: TIMESTAMP })
  declaredAt!: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  removedAt!: Date | null;
}

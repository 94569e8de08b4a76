import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** A licence the firm holds (e.g. a payment business licence), with its validity. */
@Entity('firm_licences')
@Index('IDX_firm_licences_firm', ['firmId'])
export class FirmLicence {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  id!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @Column({ type: 'varchar', length: 100 })
  type!: string;

  @Column({ type: 'varchar', length: 100 })
  number!: string;

  @Column({ type: 'varchar', length: 200 })
  issuer!: string;

  @Column({ type: 'varchar', length: 10 })
  validFrom!: string;

  @Column({ type: 'varchar', length: 10, nullable: true })
  validTo!: string | null;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;
}

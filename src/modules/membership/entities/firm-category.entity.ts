import { Entity, Index, PrimaryColumn } from 'typeorm';
import { UUID_LENGTH } from '../../../database/column-types.js';

/** One internet-finance business category of a firm (a firm has several). */
@Entity('firm_categories')
@Index('IDX_firm_categories_category', ['category', 'firmId'])
export class FirmCategory {
  @PrimaryColumn({ type: 'varchar', length: UUID_LENGTH })
  firmId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  category!: string;
}

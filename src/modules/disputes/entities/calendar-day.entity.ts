import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP, UUID_LENGTH } from '../../../database/column-types.js';

/** `holiday`: a weekday off; `workday`: a weekend day worked (调休). */
export type CalendarDayKind = 'holiday' | 'workday';

/**
 * Exceptions to the Monday–Friday week, from the State Council's yearly holiday notice. Staff
 * keep them current; every working-day deadline is counted against them.
 */
@Entity('dispute_calendar_days')
@Index('IDX_dispute_calendar_days_kind', ['kind', 'date'])
export class CalendarDay {
  /** YYYY-MM-DD (a Beijing date). */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  date!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: CalendarDayKind;

  @Column({ type: 'varchar', length: 50 })
  nameZh!: string;

  @Column({ type: 'varchar', length: 50 })
  nameEn!: string;

  @Column({ type: 'varchar', length: UUID_LENGTH, nullable: true })
  updatedBy!: string | null;

  @Column({ type: TIMESTAMP })
  updatedAt!: Date;
}

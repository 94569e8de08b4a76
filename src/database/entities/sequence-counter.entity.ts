import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A named, gap-free counter (e.g. 'invoice:2026'); see SequenceService. */
@Entity('sequence_counters')
export class SequenceCounter {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'integer' })
  value!: number;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../database/columns';

/** How a database got its first keys. */
export type SeededBy = 'kickstart' | 'firstKey' | 'existingKeys';

/**
 * The record that a database has been seeded: one row, id 1, or none. Seeding happens
 * once per database, so that a key table emptied later stays empty.
 */
@Entity({ name: 'first_boot' })
export class FirstBootEntity {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'seeded_by', type: 'varchar', length: 32 })
  seededBy!: SeededBy;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  /** Null while the seeding runs; a row left null was interrupted (a crash mid-seed). */
  @Column({ name: 'completed_instant', type: 'bigint', nullable: true, transformer: epochMillis })
  completedInstant!: number | null;
}

import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/database.errors';
import { FirstBootEntity, SeededBy } from './kickstart.entity';

const ROW = 1;

@Injectable()
export class KickstartRepository {
  private readonly rows: Repository<FirstBootEntity>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(FirstBootEntity);
  }

  /**
   * Records that the database is being seeded: `claimed`, or `seeded` when it was
   * already, or `interrupted` when an earlier seeding claimed it and never completed
   * (the process died mid-seed). The row's primary key makes the claim atomic, so of
   * several replicas booting at once one wins.
   */
  async claim(seededBy: SeededBy): Promise<'claimed' | 'seeded' | 'interrupted'> {
    try {
      await this.rows.insert({
        id: ROW,
        seededBy,
        insertInstant: Date.now(),
        completedInstant: null,
      });
      return 'claimed';
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const row = await this.rows.findOneBy({ id: ROW });
    return row?.completedInstant === null ? 'interrupted' : 'seeded';
  }

  /** The seeding finished: later boots leave the database as it is. */
  async complete(): Promise<void> {
    await this.rows.update({ id: ROW }, { completedInstant: Date.now() });
  }

  /** Seeding failed and left nothing behind: the next boot seeds again. */
  async release(): Promise<void> {
    await this.rows.delete({ id: ROW });
  }
}

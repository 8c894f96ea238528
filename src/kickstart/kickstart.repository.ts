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
   * Records that the database is being seeded; false when it was already. The row's
   * primary key makes the claim atomic, so of several replicas booting at once one wins.
   */
  async claim(seededBy: SeededBy): Promise<boolean> {
    try {
      await this.rows.insert({ id: ROW, seededBy, insertInstant: Date.now() });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Seeding failed and left nothing behind: the next boot seeds again. */
  async release(): Promise<void> {
    await this.rows.delete({ id: ROW });
  }
}

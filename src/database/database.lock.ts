import { DataSource } from 'typeorm';

/**
 * Runs `work` while holding a named lock shared by every replica on the same
 * database, so that boot-time steps (migrations, seeding) run once. MySQL and
 * MariaDB use GET_LOCK on a dedicated connection; SQLite has one writer per file.
 */
export async function withDatabaseLock<T>(
  dataSource: DataSource,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  if (dataSource.options.type !== 'mysql') return work();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const rows = (await runner.query('SELECT GET_LOCK(?, 300) AS acquired', [name])) as {
      acquired: number | string;
    }[];
    if (Number(rows[0]?.acquired) !== 1) throw new Error(`could not acquire database lock ${name}`);
    try {
      return await work();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await runner.release();
  }
}

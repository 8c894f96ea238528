import { DataSource } from 'typeorm';

/** How long a replica waits for another's boot-time step, and how often it asks. */
const LOCK_WAIT_MS = 300_000;
const LOCK_POLL_MS = 200;

/**
 * Runs `work` while holding a named lock shared by every replica on the same
 * database, so that boot-time steps (migrations, seeding) run once. MySQL and
 * MariaDB use GET_LOCK on a dedicated connection; SQLite has one writer per file.
 * The lock is asked for without waiting, again and again: one GET_LOCK that waits
 * for minutes would outlive the pool's query deadline.
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
    const giveUpAt = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const rows = (await runner.query('SELECT GET_LOCK(?, 0) AS acquired', [name])) as {
        acquired: number | string;
      }[];
      if (Number(rows[0]?.acquired) === 1) break;
      if (Date.now() >= giveUpAt) throw new Error(`could not acquire database lock ${name}`);
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    try {
      return await work();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await runner.release();
  }
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

/**
 * The MySQL/MariaDB server tests use: the one on this machine unless told otherwise (the
 * global setup points it at a container when there is no server here).
 */
export function mysqlServerUrl(): string {
  return process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
}

export interface TestDatabase {
  /** The DATABASE_URL value for the app. */
  url: string;
  drop(): Promise<void>;
}

export type Dialect = 'sqlite' | 'mysql';

const reachable = new Map<string, Promise<boolean>>();

export function isMysqlReachable(url = mysqlServerUrl()): Promise<boolean> {
  let answer = reachable.get(url);
  if (answer === undefined) {
    answer = createConnection({ uri: url, connectTimeout: 3000 })
      .then(async (connection) => {
        await connection.end();
        return true;
      })
      .catch(() => false);
    reachable.set(url, answer);
  }
  return answer;
}

/** A new, empty database: a temporary SQLite file, or a fresh schema on the MySQL server. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-e2e-'));
    return {
      url: `sqlite:${join(dir, 'portcullis.sqlite')}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `portcullis_e2e_${randomBytes(6).toString('hex')}`;
  const server = mysqlServerUrl();
  const admin = await createConnection({ uri: server });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    url: `${server.replace(/\/$/, '')}/${name}`,
    drop: async () => {
      const connection = await createConnection({ uri: server });
      await connection.query(`DROP DATABASE IF EXISTS ${name}`);
      await connection.end();
    },
  };
}

/**
 * The dialects the e2e suite runs on, decided once by the global setup. MySQL is
 * required in CI; elsewhere a machine without a MySQL server runs the SQLite leg only,
 * and says so.
 */
export async function chooseDialects(): Promise<Dialect[]> {
  if (process.env.TEST_DIALECTS) return process.env.TEST_DIALECTS.split(',') as Dialect[];
  if (await isMysqlReachable()) return ['sqlite', 'mysql'];
  if (process.env.CI)
    throw new Error(`MySQL is not reachable at ${mysqlServerUrl()}, and CI needs it`);
  console.warn(
    `\nMySQL is not reachable at ${mysqlServerUrl()}: the e2e suite runs on SQLite only\n`,
  );
  return ['sqlite'];
}

/** For `describe.each`: the dialects the global setup chose. */
export function dialects(): Dialect[] {
  return (process.env.TEST_DIALECTS ?? 'sqlite').split(',') as Dialect[];
}

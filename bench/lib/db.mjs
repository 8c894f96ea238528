// MariaDB for the bench: fresh databases (dropped at the end, whatever happens), a user of
// our own whose statements MariaDB counts for us, and bulk key inserts.
import { hash, randomBytes, randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { onCleanup } from './proc.mjs';

/** Where MariaDB listens; root without a password, loopback only. */
export const MYSQL_HOST = '127.0.0.1';
export const MYSQL_PORT = 3306;

let admin = null;

async function connection() {
  admin ??= await mysql.createConnection({
    host: MYSQL_HOST,
    port: MYSQL_PORT,
    user: 'root',
    multipleStatements: false,
  });
  return admin;
}

export async function closeAdmin() {
  const open = admin;
  admin = null;
  await open?.end().catch(() => undefined);
}

export async function query(sql, params = []) {
  const [rows] = await (await connection()).query(sql, params);
  return rows;
}

/** A fresh, empty database `portcullis_bench_<random>`, dropped at clean-up. */
export async function createDatabase(tag) {
  const name = `portcullis_bench_${tag}_${randomBytes(4).toString('hex')}`;
  await query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`);
  onCleanup(async () => {
    await query(`DROP DATABASE IF EXISTS \`${name}\``);
  });
  return { name, url: `mysql://root@${MYSQL_HOST}:${MYSQL_PORT}/${name}` };
}

/**
 * Counting the statements one Portcullis sends. MariaDB's global `Questions` counts every
 * client of the server (other test suites share it), so the service connects as a user
 * of its own and MariaDB's user statistics (`userstat`) count that user's statements.
 * `userstat` is switched on for the run and restored after. Without the privilege to
 * do so, it falls back to the global counter, and says so.
 */
export async function statementCounter(database) {
  const user = `pcbench_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await query(`CREATE USER ?@? IDENTIFIED BY ?`, [user, MYSQL_HOST, password]);
  onCleanup(async () => {
    await query(`DROP USER IF EXISTS ?@?`, [user, MYSQL_HOST]);
  });
  await query(`GRANT ALL PRIVILEGES ON \`${database.name}\`.* TO ?@?`, [user, MYSQL_HOST]);
  const url = `mysql://${user}:${password}@${MYSQL_HOST}:${MYSQL_PORT}/${database.name}`;

  let method = 'userstat';
  try {
    const [{ Value: before }] = await query(`SHOW GLOBAL VARIABLES LIKE 'userstat'`);
    if (before !== 'ON') {
      await query(`SET GLOBAL userstat = ON`);
      onCleanup(async () => {
        await query(`SET GLOBAL userstat = OFF`);
      });
    }
  } catch {
    method = 'global Questions (shared server: other clients are counted too)';
  }

  const read = async () => {
    if (method === 'userstat') {
      const rows = await query(
        `SELECT SELECT_COMMANDS + UPDATE_COMMANDS + OTHER_COMMANDS AS n, CPU_TIME AS cpu
           FROM information_schema.USER_STATISTICS WHERE USER = ?`,
        [user],
      );
      return { statements: Number(rows[0]?.n ?? 0), cpuSeconds: Number(rows[0]?.cpu ?? 0) };
    }
    const [row] = await query(`SHOW GLOBAL STATUS LIKE 'Questions'`);
    // Our own SHOW STATUS is a question too.
    return { statements: Number(row.Value) - 1, cpuSeconds: Number.NaN };
  };
  return { url, user, method, read };
}

/** The key list the memory scenario uses: key i is `${seed}${i padded to 11}` (43 chars). */
export function listKey(seed, i) {
  return `${seed}${String(i).padStart(11, '0')}`;
}

/**
 * Inserts `count` API keys straight into `api_keys` (as the initial schema defines it),
 * each allowed GET /api/system/version. Batches of 5,000 rows, in primary-key order.
 */
export async function insertKeys(database, seed, count) {
  const db = await mysql.createConnection({
    host: MYSQL_HOST,
    port: MYSQL_PORT,
    user: 'root',
    database: database.name,
  });
  try {
    const permissions = JSON.stringify({ '/api/system/version': ['GET'] });
    const now = Date.now();
    // In primary-key order: InnoDB then appends to its clustered index, instead of reading a
    // random page for nearly every row once the table outgrows its buffer pool (a million
    // rows here: 361 s in random order, 58 s in order).
    const ids = Array.from({ length: count }, () => randomUUID()).sort();
    for (let start = 0; start < count; start += 5_000) {
      const rows = [];
      for (let i = start; i < Math.min(count, start + 5_000); i++) {
        const key = listKey(seed, i);
        rows.push([
          ids[i],
          hash('sha256', key, 'base64url'),
          null,
          null,
          null,
          null,
          permissions,
          0,
          null,
          null,
          0,
          now,
          now,
        ]);
      }
      await db.query(
        `INSERT INTO api_keys (id, key_digest, key_value, name, meta_data, tenant_id, permissions,
           key_manager, ip_access_control_list_id, expiration_instant, retrievable,
           insert_instant, last_update_instant) VALUES ?`,
        [rows],
      );
    }
    const [[{ n }]] = await db.query(`SELECT COUNT(*) AS n FROM api_keys`);
    return Number(n);
  } finally {
    await db.end();
  }
}

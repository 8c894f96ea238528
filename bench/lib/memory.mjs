// Memory: resident set size (VmRSS) of an idle replica, then after caching N distinct keys.
//
// Resident size moves with whatever garbage V8 holds at the moment, by tens of MB at this
// scale, so each reading is taken twice: as it is, and after a full garbage collection (the
// replica runs with --expose-gc and a preload that collects on SIGUSR2). The verdict uses the
// readings after collection; the others are reported beside them.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REDIS_URL } from './cluster.mjs';
import { createDatabase, insertKeys } from './db.mjs';
import { call } from './http.mjs';
import { startPortcullis, writeKickstart } from './portcullis.mjs';
import { ROOT, rssBytes } from './proc.mjs';
import { median } from './stats.mjs';

export const NODE_ARGS = ['--expose-gc', '--import', join(ROOT, 'bench', 'gc-on-signal.mjs')];

/** The same light use before each idle reading: 200 health checks, then 2 s of quiet. */
async function settle(replica) {
  for (let i = 0; i < 200; i++) await call(`${replica.url}/api/health`);
  await sleep(2_000);
}

/** Median of five VmRSS readings 200 ms apart. */
async function rss(pid) {
  const readings = [];
  for (let i = 0; i < 5; i++) {
    readings.push(rssBytes(pid));
    await sleep(200);
  }
  return median(readings);
}

/** V8 heap in use, as the service's Prometheus metrics report it. */
async function heapUsed(replica, managerKey) {
  const metrics = await call(`${replica.url}/api/prometheus/metrics`, {
    headers: { authorization: managerKey },
  });
  if (metrics.status !== 200 || typeof metrics.body !== 'string') return null;
  const match = /^portcullis_nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(metrics.body);
  return match ? Number(match[1]) : null;
}

/** Readings as they are, then after two full collections a second apart. */
export async function snapshot(replica, managerKey) {
  const asIs = { rss: await rss(replica.pid), heapUsed: await heapUsed(replica, managerKey) };
  for (let i = 0; i < 2; i++) {
    process.kill(replica.pid, 'SIGUSR2');
    await sleep(1_000);
  }
  return {
    asIs,
    afterGc: { rss: await rss(replica.pid), heapUsed: await heapUsed(replica, managerKey) },
  };
}

/** A fresh database and the settings of a replica on it that keeps every key it caches. */
export async function keyReplicaSetup(tag, dir) {
  const database = await createDatabase(tag);
  const { file, managerKey } = writeKickstart(dir);
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL,
    BUS_CHANNEL_PREFIX: `pcbench-${randomBytes(4).toString('hex')}`,
    KICKSTART_FILE: file,
    // Every key stays cached for the whole measurement (the default is 60 s).
    API_KEY_CACHE_TTL_SECONDS: '3600',
  };
  return { database, env, managerKey };
}

export async function memoryScenario({ dir, settings, driver, log }) {
  const count = settings.memoryKeys;
  const { database, env, managerKey } = await keyReplicaSetup('memory', dir);

  // 1. An idle replica on a database that holds only the manager key.
  let replica = await startPortcullis('memory replica (empty)', env, { nodeArgs: NODE_ARGS });
  let idleEmpty;
  try {
    await settle(replica);
    idleEmpty = await snapshot(replica, managerKey);
  } finally {
    await replica.stop();
  }

  // 2. The keys go straight into the database; a new replica starts on it.
  log(`  memory: inserting ${count.toLocaleString('en')} keys…`);
  const seed = randomBytes(24).toString('base64url').slice(0, 32);
  const rows = await insertKeys(database, seed, count);
  replica = await startPortcullis('memory replica (loaded)', env, { nodeArgs: NODE_ARGS });
  try {
    await settle(replica);
    const idleLoaded = await snapshot(replica, managerKey);

    // 3. One request per key, each a distinct key, so each is cached.
    log(`  memory: one request for each of the ${count.toLocaleString('en')} keys…`);
    const load = await driver.run({
      url: replica.url,
      path: '/api/system/version',
      mode: 'keyList',
      seed,
      start: 0,
      amount: count,
      connections: 50,
      timeoutSeconds: 30,
    });
    const accepted = load.statusCodes['200'] ?? 0;
    await sleep(2_000);
    const cached = await snapshot(replica, managerKey);
    const view = await call(`${replica.url}/api/system/cluster`, {
      headers: { authorization: managerKey },
    });
    const cacheEntries = view.status === 200 ? (view.body.node?.cacheEntries ?? null) : null;

    const perKey = (cached.afterGc.rss - idleEmpty.afterGc.rss) / count;
    return {
      keys: count,
      rowsInDatabase: rows,
      accepted,
      statusCodes: load.statusCodes,
      loadRps: load.rps,
      cacheEntriesReported: cacheEntries,
      /** Each: { asIs: { rss, heapUsed }, afterGc: { rss, heapUsed } }, bytes. */
      readings: { idleEmpty, idleLoaded, cached },
      /** From the readings after a full GC: cached − idle on the empty database. */
      bytesPerKey: perKey,
      bytesPerKeyAsIs: (cached.asIs.rss - idleEmpty.asIs.rss) / count,
      heapBytesPerKey:
        cached.afterGc.heapUsed !== null && idleEmpty.afterGc.heapUsed !== null
          ? (cached.afterGc.heapUsed - idleEmpty.afterGc.heapUsed) / count
          : null,
      /** Per-key cost times 100,000, in MB (10^6 bytes). */
      mbFor100k: (perKey * 100_000) / 1e6,
      extrapolated: count !== 100_000,
    };
  } finally {
    await replica.stop();
  }
}

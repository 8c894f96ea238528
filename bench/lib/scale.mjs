// Scale: a replica on a database of N API keys (a million in the full run) against one on a
// database of 1,000: time from process start to the first key request served, resident
// memory at that point and after caching a share of the keys, and the cache-hot key path
// (co-run capacity ratio) on both, measured in the same rounds.
//
// The keys go straight into `api_keys` in bulk (insertKeys), not through the API.
import { randomBytes } from 'node:crypto';
import { coRunOnce, headToHead, headToHeadSummary } from './corun.mjs';
import { insertKeys, listKey } from './db.mjs';
import { call } from './http.mjs';
import { keyReplicaSetup, NODE_ARGS, snapshot } from './memory.mjs';
import { startPortcullis } from './portcullis.mjs';
import { spread } from './stats.mjs';

const SMALL = 1_000;

/** A database with `count` keys of its own list; the schema made by one boot of the service. */
async function keyDatabase(tag, dir, count, log) {
  const { database, env, managerKey } = await keyReplicaSetup(tag, dir);
  const migrating = await startPortcullis(`scale replica (${tag}, schema)`, env);
  await migrating.stop();
  const seed = randomBytes(24).toString('base64url').slice(0, 32);
  const started = performance.now();
  log(`  scale: inserting ${count.toLocaleString('en')} keys (${tag})…`);
  const rows = await insertKeys(database, seed, count);
  return { env, managerKey, seed, rows, insertSeconds: (performance.now() - started) / 1000 };
}

/** Starts a replica and times it from the spawn to the first key request answered 200. */
async function timedStart(name, db) {
  const started = performance.now();
  const replica = await startPortcullis(name, db.env, { nodeArgs: NODE_ARGS });
  const healthyMs = performance.now() - started;
  const first = await call(`${replica.url}/api/system/version`, {
    headers: { authorization: listKey(db.seed, db.rows - 2) },
  });
  if (first.status !== 200)
    throw new Error(`${name}: the first key request answered ${first.status}`);
  return { replica, healthyMs, readyMs: performance.now() - started };
}

export async function scaleScenario({ dir, settings, drivers, baseline, log }) {
  const large = await keyDatabase('scale', dir, settings.scaleKeys, log);
  const small = await keyDatabase('scale_small', dir, SMALL, log);

  const big = await timedStart('scale replica (large)', large);
  const little = await timedStart('scale replica (1,000 keys)', small);
  try {
    const atReady = await snapshot(big.replica, large.managerKey);
    log(`  scale: caching ${settings.scaleCached.toLocaleString('en')} keys…`);
    const load = await drivers[0].run({
      url: big.replica.url,
      path: '/api/system/version',
      mode: 'keyList',
      seed: large.seed,
      start: 0,
      amount: settings.scaleCached,
      connections: 50,
      timeoutSeconds: 60,
    });
    const cachedLoad = { accepted: load.statusCodes['200'] ?? 0, statusCodes: load.statusCodes };
    const afterCaching = await snapshot(big.replica, large.managerKey);

    // The cache-hot path: one key of each list, repeated, on both replicas in turn.
    const hot = (replica, db) => ({
      pid: replica.pid,
      driver: drivers[1],
      spec: {
        url: replica.url,
        path: '/api/system/version',
        connections: settings.connections,
        headers: { authorization: listKey(db.seed, 1) },
      },
    });
    const ref = {
      pid: baseline.pid,
      driver: drivers[0],
      spec: { url: baseline.url, path: '/', connections: settings.connections },
    };
    const rounds = { large: [], small: [] };
    for (let round = 1; round <= settings.rounds; round++) {
      log(`  scale: round ${round}/${settings.rounds}, cache-hot key on both replicas`);
      rounds.large.push(await coRunOnce({ ref, cand: hot(big.replica, large), settings }));
      rounds.small.push(await coRunOnce({ ref, cand: hot(little.replica, small), settings }));
    }
    // The same two replicas head to head, in the same windows (the figure judged): restarting
    // the large one would mean caching its keys again, so this is one pair.
    log(`  scale: cache-hot key, the two replicas head to head`);
    const headToHeadRounds = await headToHead({
      x: hot(big.replica, large),
      y: hot(little.replica, small),
      drivers: [drivers[0], drivers[1]],
      settings,
      rounds: settings.headToHeadRounds,
    });
    const ratios = (list) => spread(list.map((r) => r.ratio));
    const share = (list) =>
      Math.min(
        ...list.map((r) => (r.cand.statusCodes?.['200'] ?? 0) / Math.max(1, r.cand.requests)),
      );
    return {
      keys: large.rows,
      smallKeys: small.rows,
      insertSeconds: large.insertSeconds,
      healthyMs: big.healthyMs,
      readyMs: big.readyMs,
      smallReadyMs: little.readyMs,
      cached: settings.scaleCached,
      cachedLoad,
      readings: { atReady, afterCaching },
      keyPath: {
        large: ratios(rounds.large),
        small: ratios(rounds.small),
        allAccepted: share(rounds.large) === 1 && share(rounds.small) === 1,
        headToHead: headToHeadSummary([headToHeadRounds]),
      },
      extrapolated: large.rows < 1_000_000,
    };
  } finally {
    await big.replica.stop();
    await little.replica.stop();
  }
}

// Scale: a replica on a database of N API keys (a million in the full run) against one on a
// database of 1,000: time from process start to the first key request served, resident
// memory at that point and after caching a share of the keys, and the cache-hot key path
// (co-run capacity ratio) on both, measured in the same rounds.
//
// The keys go straight into `api_keys` in bulk (insertKeys), not through the API.
import { randomBytes } from 'node:crypto';
import { answeredAll, coRunOnce, headToHead, headToHeadSummary } from './corun.mjs';
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

/** The cache-hot key path on `replica`: one key of its list, repeated. */
function hot(replica, db, settings) {
  return {
    pid: replica.pid,
    spec: {
      url: replica.url,
      path: '/api/system/version',
      connections: settings.connections,
      headers: { authorization: listKey(db.seed, 1) },
    },
  };
}

const allOk = (list) => list.every((r) => answeredAll(r.cand));

/**
 * One pair of fresh replicas, one on each database, taken through the same steps (the forced
 * collections of the memory readings included), so that what differs between them is the
 * number of keys: readings at ready, `scaleCached` keys cached on the large one, readings
 * again, then the cache-hot key path head to head. The first pair is also measured against
 * bare Fastify (`ref`), each replica in rounds of its own.
 */
async function measurePair({ pair, large, small, settings, drivers, ref, log }) {
  const big = await timedStart('scale replica (large)', large);
  const little = await timedStart('scale replica (1,000 keys)', small);
  try {
    const atReady = await snapshot(big.replica, large.managerKey);
    await snapshot(little.replica, small.managerKey);
    log(`  scale, pair ${pair + 1}: caching ${settings.scaleCached.toLocaleString('en')} keys…`);
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
    await snapshot(little.replica, small.managerKey);

    const x = hot(big.replica, large, settings);
    const y = hot(little.replica, small, settings);
    const separate = { large: [], small: [] };
    if (ref !== null) {
      for (let round = 1; round <= settings.rounds; round++) {
        log(`  scale: round ${round}/${settings.rounds}, cache-hot key on both replicas`);
        separate.large.push(await coRunOnce({ ref, cand: { ...x, driver: drivers[1] }, settings }));
        separate.small.push(await coRunOnce({ ref, cand: { ...y, driver: drivers[1] }, settings }));
      }
    }
    log(`  scale, pair ${pair + 1}: cache-hot key, the two replicas head to head`);
    const duel = await headToHead({
      x,
      y,
      drivers: [drivers[0], drivers[1]],
      settings,
      rounds: settings.headToHeadRounds,
      first: pair,
    });
    return { big, little, atReady, afterCaching, cachedLoad, separate, duel };
  } finally {
    await big.replica.stop();
    await little.replica.stop();
  }
}

export async function scaleScenario({ dir, settings, drivers, baseline, log }) {
  const large = await keyDatabase('scale', dir, settings.scaleKeys, log);
  const small = await keyDatabase('scale_small', dir, SMALL, log);
  const ref = {
    pid: baseline.pid,
    driver: drivers[0],
    spec: { url: baseline.url, path: '/', connections: settings.connections },
  };
  // One pair of processes can differ from another by more than the bound on its own, so
  // the head-to-head figure is taken over fresh pairs, each caching its keys anew.
  const pairs = [];
  for (let pair = 0; pair < settings.headToHeadPairs; pair++) {
    pairs.push(
      await measurePair({
        pair,
        large,
        small,
        settings,
        drivers,
        ref: pair === 0 ? ref : null,
        log,
      }),
    );
  }
  const [first] = pairs;
  const ratios = (list) => spread(list.map((r) => r.ratio));
  return {
    keys: large.rows,
    smallKeys: small.rows,
    insertSeconds: large.insertSeconds,
    healthyMs: first.big.healthyMs,
    readyMs: first.big.readyMs,
    smallReadyMs: first.little.readyMs,
    cached: settings.scaleCached,
    cachedLoad: first.cachedLoad,
    allCached: pairs.every((p) => p.cachedLoad.accepted === settings.scaleCached),
    readings: { atReady: first.atReady, afterCaching: first.afterCaching },
    keyPath: {
      large: ratios(first.separate.large),
      small: ratios(first.separate.small),
      allAccepted: allOk(first.separate.large) && allOk(first.separate.small),
      headToHead: headToHeadSummary(pairs.map((p) => p.duel)),
    },
    extrapolated: large.rows < 1_000_000,
  };
}

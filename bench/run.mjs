// `npm run bench` (full, ~21 min here) and `npm run bench -- --quick` (a smoke run, ~5 min).
// The method is shared/BENCHMARKING.md's: co-run capacity ratio against a bare Fastify server,
// servers on core 0, each load generator on core 1. See bench/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { URLSearchParams } from 'node:url';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterScenario } from './lib/cluster.mjs';
import { coRunOnce, headToHead, headToHeadSummary } from './lib/corun.mjs';
import { closeAdmin, createDatabase, statementCounter } from './lib/db.mjs';
import { startDriver } from './lib/drivers.mjs';
import { destroyAgent, expect } from './lib/http.mjs';
import { prepareJwts } from './lib/jwt.mjs';
import { memoryScenario } from './lib/memory.mjs';
import { scaleScenario } from './lib/scale.mjs';
import {
  assertBuilt,
  createKey,
  createUsers,
  LOG_LEVEL,
  startPortcullis,
  writeKickstart,
} from './lib/portcullis.mjs';
import {
  cleanup,
  freePort,
  installExitHandlers,
  loadAverage,
  machine,
  onCleanup,
  pinned,
  pinSelf,
  ROOT,
  startChild,
  TASKSET,
  waitFor,
} from './lib/proc.mjs';
import { renderTable, evaluate } from './lib/report.mjs';
import { median, spread } from './lib/stats.mjs';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const ONLY =
  argv
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',') ?? null;
const wants = (section) => ONLY === null || ONLY.includes(section);
const unknownArgs = argv.filter((a) => a !== '--quick' && !a.startsWith('--only='));
if (
  unknownArgs.length > 0 ||
  ONLY?.some((s) => !['corun', 'cluster', 'memory', 'scale'].includes(s))
) {
  process.stderr.write(
    `usage: npm run bench [-- --quick] [--only=corun,cluster,memory,scale]\n(unknown: ${unknownArgs.join(' ') || ONLY.join(',')})\n`,
  );
  process.exit(2);
}

const SETTINGS = QUICK
  ? {
      mode: 'quick',
      rounds: 1,
      warmSeconds: 0.5,
      measureSeconds: 1,
      connections: 50,
      createUserConnections: 8,
      cycles: 20,
      memoryKeys: 5_000,
      scaleKeys: 20_000,
      scaleCached: 5_000,
      seedUsers: 10,
      headToHeadPairs: 1,
      headToHeadRounds: 2,
    }
  : {
      mode: 'full',
      rounds: 3,
      warmSeconds: 2,
      measureSeconds: 6,
      connections: 50,
      createUserConnections: 8,
      cycles: 200,
      memoryKeys: 100_000,
      scaleKeys: 1_000_000,
      scaleCached: 200_000,
      seedUsers: 50,
      headToHeadPairs: 3,
      headToHeadRounds: 4,
    };

const t0 = performance.now();
const log = (line) =>
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

/** A server of the bench's own on core 0 that prints `listening <port>` once it does. */
async function startBenchServer(name, script = 'baseline-server.mjs', env = {}) {
  const [command, args] = pinned(0, process.execPath, [join(ROOT, 'bench', script)]);
  const server = startChild(name, command, args, {
    env: { PATH: process.env.PATH ?? '', PORT: String(await freePort()), ...env },
  });
  let port = null;
  server.child.stdout.on('data', (chunk) => {
    const match = /listening (\d+)/.exec(chunk.toString());
    if (match) port = Number(match[1]);
  });
  await waitFor(
    `${name} to listen`,
    () => {
      if (!server.alive()) throw Object.assign(new Error(server.output()), { fatal: true });
      return port !== null;
    },
    15_000,
  );
  return { ...server, url: `http://127.0.0.1:${port}` };
}

/** An application that takes the password grant; its id and secret are the client's. */
async function createOAuthClient(url, managerKey) {
  const body = await expect(200, `${url}/api/application`, {
    method: 'POST',
    headers: { authorization: managerKey },
    json: { application: { name: 'bench', oauthConfiguration: { enabledGrants: ['password'] } } },
  });
  return { id: body.application.id, secret: body.application.oauthConfiguration.clientSecret };
}

/**
 * A client-credentials client: an entity granted `read` by a target entity, both of the
 * default tenant; the scope names the target and the permission.
 */
async function createEntityClient(url, managerKey) {
  const headers = { authorization: managerKey };
  const type = await expect(200, `${url}/api/entity/type`, {
    method: 'POST',
    headers,
    json: { entityType: { name: `bench-${randomUUID()}`, permissions: [{ name: 'read' }] } },
  });
  const entity = async (name) =>
    (
      await expect(200, `${url}/api/entity`, {
        method: 'POST',
        headers,
        json: { entity: { name, type: { id: type.entityType.id } } },
      })
    ).entity;
  const target = await entity('bench-target');
  const client = await entity('bench-client');
  await expect(200, `${url}/api/entity/${target.id}/grant`, {
    method: 'POST',
    headers,
    json: { grant: { recipientEntityId: client.id, permissions: ['read'] } },
  });
  return {
    clientId: client.clientId,
    secret: client.clientSecret,
    scope: `target-entity:${target.id}:read`,
  };
}

/** A Portcullis on its own database with the keys and users the scenarios use. */
async function preparedPortcullis(name, dir, databaseUrl, env = {}) {
  const { file, managerKey } = writeKickstart(dir);
  const service = await startPortcullis(name, {
    DATABASE_URL: databaseUrl,
    KICKSTART_FILE: file,
    ...env,
  });
  const versionKey = (await createKey(service.url, managerKey, { '/api/system/version': ['GET'] }))
    .key;
  const userKey = (await createKey(service.url, managerKey, { '/api/user': ['GET', 'POST'] })).key;
  const users = await createUsers(service.url, userKey, SETTINGS.seedUsers);
  const loginKey = (await createKey(service.url, managerKey, { '/api/login': ['POST'] })).key;
  const oauthClient = await createOAuthClient(service.url, managerKey);
  const entityClient = await createEntityClient(service.url, managerKey);
  // A limit no run reaches: what is measured is the cost of the check, not refusals.
  const limitedKey = (
    await createKey(
      service.url,
      managerKey,
      { '/api/system/version': ['GET'] },
      {
        rateLimit: { requests: 1_000_000_000, seconds: 1, burst: 1_000_000_000 },
      },
    )
  ).key;
  return {
    ...service,
    managerKey,
    versionKey,
    limitedKey,
    userKey,
    loginKey,
    oauthClient,
    entityClient,
    users,
  };
}

/** The key lookup queries the replica has started, by its own count (`GET /api/status`). */
async function keyLookupQueries(service) {
  const status = await expect(200, `${service.url}/api/status`, {
    headers: { authorization: service.managerKey },
  });
  return status.cache.lookupQueries;
}

/** A fresh Portcullis on its own SQLite file with one key for the version route, loaded by `spec`. */
async function versionReplica(name, dir, env) {
  const { file, managerKey } = writeKickstart(dir);
  const service = await startPortcullis(name, {
    KICKSTART_FILE: file,
    DATABASE_URL: `sqlite:${join(dir, `${randomUUID()}.sqlite`)}`,
    ...env,
  });
  const key = (await createKey(service.url, managerKey, { '/api/system/version': ['GET'] })).key;
  const spec = {
    url: service.url,
    path: '/api/system/version',
    connections: SETTINGS.connections,
    headers: { authorization: key },
  };
  return { ...service, spec };
}

/**
 * Last-use tracking on against off, head to head (`headToHead`): pairs of fresh replicas alike
 * but for it, each pair's two co-run on core 0 with the drivers swapped every round.
 */
async function lastUseHeadToHead(dir, drivers) {
  const pairs = [];
  for (let pair = 0; pair < SETTINGS.headToHeadPairs; pair++) {
    log(`  last use, head to head: pair ${pair + 1}/${SETTINGS.headToHeadPairs}`);
    const on = await versionReplica('portcullis (last use on, head to head)', dir, {});
    const off = await versionReplica('portcullis (last use off, head to head)', dir, {
      API_KEY_LAST_USED_ENABLED: 'false',
    });
    try {
      pairs.push(
        await headToHead({
          x: on,
          y: off,
          drivers,
          settings: SETTINGS,
          rounds: SETTINGS.headToHeadRounds,
          first: pair,
        }),
      );
    } finally {
      await on.stop();
      await off.stop();
    }
  }
  return headToHeadSummary(pairs);
}

/** A Portcullis on its own SQLite file with JWT tenants, users and `tokens` tokens per algorithm. */
async function jwtPortcullis(name, dir, env, tokens) {
  const { file, managerKey } = writeKickstart(dir);
  const service = await startPortcullis(name, {
    KICKSTART_FILE: file,
    DATABASE_URL: `sqlite:${join(dir, `${randomUUID()}.sqlite`)}`,
    ...env,
  });
  const jwts = await prepareJwts(service.url, managerKey, tokens);
  const versionKey = (await createKey(service.url, managerKey, { '/api/system/version': ['GET'] }))
    .key;
  return { ...service, jwts, versionKey };
}

/**
 * JWT scenarios: a repeated token (the verified-token cache), set against the API key path
 * on the same replica (two processes alike differ by a few per cent on their own), and, on
 * a replica whose cache is off, a token it has not verified before on every request.
 */
function jwtScenarios(cached, uncached) {
  const validate = { path: '/api/jwt/validate' };
  const scenarios = [
    {
      id: 'apiKeyJwtReplica',
      label:
        'API key, raw header, cache-hot, on the replica of the repeated JWT: GET /api/system/version',
      db: 'SQLite',
      server: cached,
      spec: { path: '/api/system/version', headers: { authorization: cached.versionKey } },
      expect: 200,
    },
    {
      id: 'jwtRepeated',
      label: 'User JWT (HS256), the same token each request: GET /api/jwt/validate',
      db: 'SQLite',
      server: cached,
      spec: { ...validate, headers: { authorization: `Bearer ${cached.jwts.HS256[0]}` } },
      expect: 200,
      target: 'jwtRepeated',
    },
  ];
  for (const alg of ['HS256', 'RS256']) {
    scenarios.push({
      id: `jwtFresh-${alg}`,
      label: `User JWT (${alg}), verified on every request (JWT cache off): same route`,
      db: 'SQLite',
      server: uncached,
      spec: { ...validate, mode: 'bearers', tokens: uncached.jwts[alg] },
      expect: 200,
      target: alg === 'HS256' ? 'jwtFresh' : null,
    });
  }
  return scenarios;
}

function coRunScenarios({ a2, nest, sqlite, mysql, counter, tracked, untracked }) {
  const version = { path: '/api/system/version' };
  const scenarios = [
    {
      id: 'baselineA',
      label: 'Baseline A: bare Fastify, one JSON route (against itself)',
      db: '—',
      server: a2,
      spec: { path: '/' },
      expect: 200,
    },
    {
      id: 'nestReference',
      label: 'Reference: NestJS on Fastify, one route, a one-line key guard (not Portcullis)',
      db: '—',
      server: nest,
      spec: { ...version, headers: { authorization: nest.key } },
      expect: 200,
    },
  ];
  for (const [db, p] of [
    ['SQLite', sqlite],
    ['MariaDB', mysql],
  ]) {
    if (!p) continue;
    const counted = db === 'MariaDB' ? counter : null;
    const tag = db === 'SQLite' ? 'sqlite' : 'mysql';
    scenarios.push({
      id: `baselineB-${tag}`,
      label: 'Baseline B: GET /api/health, no credential (runs SELECT 1)',
      db,
      server: p,
      spec: { path: '/api/health' },
      expect: 200,
      counter: counted,
    });
    if (db === 'SQLite') {
      scenarios.push(
        {
          id: 'apiKeyRaw',
          label: 'API key, raw header, cache-hot: GET /api/system/version',
          db,
          server: p,
          spec: { ...version, headers: { authorization: p.versionKey } },
          expect: 200,
          target: 'keyCapacity',
        },
        {
          id: 'apiKeyTracked',
          label: 'API key, raw, cache-hot, last-use tracking on: same route (own replica)',
          db,
          server: tracked,
          spec: { ...version, headers: { authorization: tracked.versionKey } },
          expect: 200,
        },
        {
          id: 'apiKeyUntracked',
          label: 'API key, raw, cache-hot, last-use tracking off: same route (own replica)',
          db,
          server: untracked,
          spec: { ...version, headers: { authorization: untracked.versionKey } },
          expect: 200,
        },
        {
          id: 'apiKeyRateLimited',
          label: 'API key with a rate limit (in-memory limiter), cache-hot: same route',
          db,
          server: p,
          spec: { ...version, headers: { authorization: p.limitedKey } },
          expect: 200,
        },
        {
          id: 'apiKeyBasic',
          label: 'API key, Basic `apikey:<key>`, cache-hot: same route',
          db,
          server: p,
          spec: {
            ...version,
            headers: {
              authorization: `Basic ${Buffer.from(`apikey:${p.versionKey}`).toString('base64')}`,
            },
          },
          expect: 200,
          target: 'keyThroughput',
        },
      );
    }
    scenarios.push({
      id: `unknownKey-${tag}`,
      label: 'Unknown keys, a fresh random key per request (401)',
      db,
      server: p,
      spec: { ...version, mode: 'randomKey', scheme: 'raw' },
      expect: 401,
      counter: counted,
      lookups: counted ? () => keyLookupQueries(p) : null,
      target: db === 'MariaDB' ? 'floodWithQueries' : 'floodThroughput',
    });
    scenarios.push({
      id: `clientCredentials-${tag}`,
      label:
        'POST /oauth2/token, grant_type=client_credentials (secret check, grant lookup, HS256 signing)',
      db,
      server: p,
      spec: {
        path: '/oauth2/token',
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: p.entityClient.clientId,
          client_secret: p.entityClient.secret,
          scope: p.entityClient.scope,
        }).toString(),
      },
      expect: 200,
      counter: counted,
      target: 'grantRate',
    });
    const ids = p.users.map((u) => `/api/user/${u.id}`);
    const emails = p.users.map((u) => `/api/user?email=${encodeURIComponent(u.email)}`);
    scenarios.push(
      {
        id: `userById-${tag}`,
        label: `GET /api/user/{id} with a key (${p.users.length} users, rotating)`,
        db,
        server: p,
        spec: { mode: 'paths', paths: ids, headers: { authorization: p.userKey } },
        expect: 200,
        counter: counted,
        target: 'userRead',
      },
      {
        id: `userByEmail-${tag}`,
        label: `GET /api/user?email= with a key (${p.users.length} users, rotating)`,
        db,
        server: p,
        spec: { mode: 'paths', paths: emails, headers: { authorization: p.userKey } },
        expect: 200,
        counter: counted,
        target: 'userRead',
      },
    );
    // Reads asked for together share a query; one connection asks one at a time, so this
    // row shows what a lone read costs.
    if (tag === 'mysql')
      scenarios.push({
        id: `userByIdOneConnection-${tag}`,
        label: 'GET /api/user/{id}, one connection (one read at a time: no batching)',
        db,
        server: p,
        connections: 1,
        spec: { mode: 'paths', paths: ids, headers: { authorization: p.userKey } },
        expect: 200,
        counter: counted,
      });
  }
  if (sqlite) {
    scenarios.push({
      id: 'createUser',
      label: `POST /api/user (argon2id hashing; -c ${SETTINGS.createUserConnections})`,
      db: 'SQLite',
      server: sqlite,
      spec: {
        path: '/api/user',
        mode: 'newUser',
        password: 'correct horse battery staple',
        headers: { authorization: sqlite.userKey },
      },
      connections: SETTINGS.createUserConnections,
      expect: 200,
      target: 'perCore',
    });
    scenarios.push({
      id: 'passwordGrant',
      label: `POST /oauth2/token, grant_type=password (argon2id; -c ${SETTINGS.createUserConnections})`,
      db: 'SQLite',
      server: sqlite,
      spec: {
        path: '/oauth2/token',
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: sqlite.oauthClient.id,
          client_secret: sqlite.oauthClient.secret,
          username: sqlite.users[0].email,
          password: 'correct horse battery staple',
        }).toString(),
      },
      connections: SETTINGS.createUserConnections,
      expect: 200,
      target: 'perCore',
    });
    scenarios.push({
      id: 'login',
      label: `POST /api/login (argon2id verification; -c ${SETTINGS.createUserConnections})`,
      db: 'SQLite',
      server: sqlite,
      spec: {
        path: '/api/login',
        method: 'POST',
        headers: { authorization: sqlite.loginKey, 'content-type': 'application/json' },
        body: JSON.stringify({
          loginId: sqlite.users[0].email,
          password: 'correct horse battery staple',
        }),
      },
      connections: SETTINGS.createUserConnections,
      expect: 200,
      target: 'perCore',
    });
  }
  return scenarios;
}

function summarizeScenario(scenario, rounds) {
  const statusCodes = {};
  for (const round of rounds) {
    for (const [code, count] of Object.entries(round.cand.statusCodes))
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
  }
  const total = Object.values(statusCodes).reduce((s, n) => s + n, 0);
  const expected = statusCodes[String(scenario.expect)] ?? 0;
  const dbRounds = rounds.map((r) => r.db).filter(Boolean);
  return {
    id: scenario.id,
    label: scenario.label,
    db: scenario.db,
    connections: scenario.connections ?? SETTINGS.connections,
    expectedStatus: scenario.expect,
    expectedShare: total > 0 ? expected / total : 0,
    statusCodes,
    errors: rounds.reduce((s, r) => s + r.cand.errors + r.cand.timeouts, 0),
    ratio: spread(rounds.map((r) => r.ratio)),
    rps: spread(rounds.map((r) => r.cand.rps)),
    p50Ms: median(rounds.map((r) => r.cand.p50)),
    p99Ms: median(rounds.map((r) => r.cand.p99)),
    cpuSecondsPerRequest: median(rounds.map((r) => r.cand.cpuPerRequest)),
    reference: {
      rps: median(rounds.map((r) => r.ref.rps)),
      cpuSecondsPerRequest: median(rounds.map((r) => r.ref.cpuPerRequest)),
    },
    queriesPer1k: dbRounds.length ? spread(dbRounds.map((d) => d.perThousand)) : null,
    dbCpuSecondsPerRequest: dbRounds.length ? median(dbRounds.map((d) => d.dbCpuPerRequest)) : null,
    target: scenario.target ?? null,
    rounds,
  };
}

async function main() {
  installExitHandlers();
  onCleanup(closeAdmin);
  onCleanup(() => destroyAgent());
  assertBuilt();
  const pinnedSelf = pinSelf(1);
  const started = new Date();
  const host = machine();
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));

  log(
    `Portcullis bench (${SETTINGS.mode}) on ${host.cpuModel}, ${host.cores} cores, Node ${host.node}`,
  );
  if (!TASKSET)
    log('taskset is missing: servers and load generators run UNPINNED; ratios are noisier.');

  const results = {
    date: started.toISOString(),
    machine: host,
    settings: {
      ...SETTINGS,
      logLevel: LOG_LEVEL,
      pinning: TASKSET
        ? 'servers on core 0 (taskset -c 0); each autocannon and the harness on core 1'
        : 'none (taskset missing)',
      harnessPinned: pinnedSelf,
      method:
        'co-run capacity ratio (shared/BENCHMARKING.md): CPU-seconds per request of bare Fastify ÷ that of the candidate, both loaded at once',
    },
    loadAverage: { start: loadAverage(), end: null },
    scenarios: [],
    cluster: null,
    memory: null,
    scale: null,
    notes: [
      'Capacity ratios count the service process only: MariaDB and Redis CPU is not in them (MariaDB CPU per request is given beside).',
      'Propagation figures are upper bounds: the arrival time of the 401, which includes one probe round trip (probeRoundTripMs).',
      'The machine is shared: loadAverage records how busy it was at the start and end of the run.',
    ],
  };

  const drivers = [startDriver('driver 1'), startDriver('driver 2'), startDriver('driver 3')];

  if (wants('corun')) {
    log('Starting baseline A (x2), Portcullis on SQLite and on MariaDB…');
    const a = await startBenchServer('baseline A');
    const a2 = await startBenchServer('baseline A (second)');
    const nestKey = randomBytes(32).toString('base64url');
    const nest = {
      ...(await startBenchServer('NestJS reference', 'reference-nest.mjs', {
        REFERENCE_KEY: nestKey,
      })),
      key: nestKey,
    };
    const sqlite = await preparedPortcullis(
      'portcullis (SQLite)',
      dir,
      `sqlite:${join(dir, 'bench.sqlite')}`,
    );
    // Two replicas alike but for last-use tracking, each serving only the key path, so
    // that what differs between them is what the tracking costs.
    const tracked = await preparedPortcullis(
      'portcullis (SQLite, last use on)',
      dir,
      `sqlite:${join(dir, 'bench-tracked.sqlite')}`,
    );
    const untracked = await preparedPortcullis(
      'portcullis (SQLite, last use off)',
      dir,
      `sqlite:${join(dir, 'bench-untracked.sqlite')}`,
      { API_KEY_LAST_USED_ENABLED: 'false' },
    );
    const mysqlDb = await createDatabase('single');
    const counter = await statementCounter(mysqlDb);
    results.settings.queryCounting = counter.method;
    const mysql = await preparedPortcullis('portcullis (MariaDB)', dir, counter.url);

    // JWT scenarios on replicas of their own: their extra tenants would make the user
    // lookups above ambiguous ([TenantIdRequired]).
    const cached = await jwtPortcullis('portcullis (SQLite, JWTs)', dir, {}, 1);
    const uncached = await jwtPortcullis(
      'portcullis (SQLite, JWT cache off)',
      dir,
      { JWT_CACHE_MAX_ENTRIES: '0' },
      500,
    );

    const scenarios = [
      ...coRunScenarios({ a2, nest, sqlite, mysql, counter, tracked, untracked }),
      ...jwtScenarios(cached, uncached),
    ];
    // One unmeasured pass over every route first, so no scenario pays for the JIT of another.
    // Baseline A is loaded alongside, as it will be in every measured window.
    log('  pre-warming every scenario…');
    for (const scenario of scenarios) {
      await Promise.all([
        drivers[0].run({
          url: a.url,
          path: '/',
          connections: SETTINGS.connections,
          seconds: SETTINGS.warmSeconds,
        }),
        drivers[1].run({
          url: scenario.server.url,
          connections: scenario.connections ?? SETTINGS.connections,
          ...scenario.spec,
          seconds: SETTINGS.warmSeconds,
        }),
      ]);
    }
    const rounds = new Map(scenarios.map((s) => [s.id, []]));
    // Rounds interleave the scenarios, so each is measured over the same stretch of time.
    for (let round = 1; round <= SETTINGS.rounds; round++) {
      for (const scenario of scenarios) {
        log(`  round ${round}/${SETTINGS.rounds}: ${scenario.id}`);
        const outcome = await coRunOnce({
          ref: {
            pid: a.pid,
            driver: drivers[0],
            spec: { url: a.url, path: '/', connections: SETTINGS.connections },
          },
          cand: {
            pid: scenario.server.pid,
            driver: drivers[1],
            spec: {
              url: scenario.server.url,
              connections: scenario.connections ?? SETTINGS.connections,
              ...scenario.spec,
            },
          },
          settings: SETTINGS,
          counter: scenario.counter ?? null,
          lookups: scenario.lookups ?? null,
        });
        rounds.get(scenario.id).push(outcome);
      }
    }
    results.scenarios = scenarios.map((s) => summarizeScenario(s, rounds.get(s.id)));
    for (const service of [cached, uncached, tracked, untracked, mysql, sqlite, a2, a])
      await service.stop();
    results.lastUseHeadToHead = await lastUseHeadToHead(dir, drivers);
  }

  if (wants('cluster')) {
    log('Cluster: three replicas on MariaDB and Redis…');
    results.cluster = await clusterScenario({ dir, settings: SETTINGS, drivers, log });
  }

  if (wants('memory')) {
    log(`Memory: ${SETTINGS.memoryKeys.toLocaleString('en')} cached keys…`);
    results.memory = await memoryScenario({ dir, settings: SETTINGS, driver: drivers[0], log });
  }

  if (wants('scale')) {
    log(`Scale: ${SETTINGS.scaleKeys.toLocaleString('en')} keys in MariaDB…`);
    const baseline = await startBenchServer('baseline A (scale)');
    try {
      results.scale = await scaleScenario({ dir, settings: SETTINGS, drivers, baseline, log });
    } finally {
      await baseline.stop();
    }
  }

  for (const driver of drivers) await driver.stop();

  results.finished = new Date().toISOString();
  results.loadAverage.end = loadAverage();
  results.evaluation = evaluate(results);
  const table = renderTable(results);

  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(
    resultsDir,
    `${started
      .toISOString()
      .replace(/:/g, '-')
      .replace(/\.\d+Z$/, 'Z')}${QUICK ? '-quick' : ''}.json`,
  );
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

  process.stdout.write(`${table}\nResults: ${file}\n`);
}

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (error) {
  log(`bench failed: ${error?.stack ?? String(error)}`);
  await cleanup();
  process.exit(1);
}

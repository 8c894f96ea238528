import { median } from './stats.mjs';

// The issue's targets, and the one markdown table.

const TARGETS = {
  keyThroughput: '≥ 80 % of B',
  keyCapacity: '≥ 0.60 of bare Fastify',
  userReadSQLite: '≥ 0.25 of bare Fastify',
  userReadMariaDB: '≥ 0.15 of bare Fastify; at most one query per read',
  floodThroughput: '≥ 80 % of B',
  // Every unknown key is checked by the database, in batches of at most one query per
  // 10 ms window: the flood's cost is bounded per second, not per request.
  floodWithQueries: '≥ 80 % of B; ≤ 100 key lookup queries/s (one per 10 ms window)',
  perCore: '— (report per core)',
  grantRate: '≥ 1,200 grants/s per core',
  lastUseOverhead: '≥ 98 % of the same path with tracking off',
  jwtRepeated: 'within 10 % of the cache-hot API key on the same replica',
  jwtFresh: '≥ 35 % of bare Fastify',
  propagationIdle: 'p99 per revocation ≤ 5 ms',
  propagationLoadOne: 'p99 per revocation ≤ 10 ms',
  propagationLoadAll: 'p99 per revocation ≤ 15 ms',
  scaleReady: 'ready < 10 s',
  scaleMemory: '< 400 MB resident with 200,000 cached',
  scaleKeyPath: 'within 5 % of the key path with 1,000 keys',
  memory: '< 100 MB on top of idle, for 100,000 keys',
};

const MIN_EXPECTED_SHARE = 0.99;

function baselineFor(results, db) {
  // Servers without a database (the baselines, the NestJS reference) have no B.
  if (db !== 'MariaDB' && db !== 'SQLite') return undefined;
  return results.scenarios.find(
    (s) => s.id === (db === 'MariaDB' ? 'baselineB-mysql' : 'baselineB-sqlite'),
  );
}

export function percentOfB(results, scenario) {
  const b = baselineFor(results, scenario.db);
  if (!b || !b.ratio.median || scenario.ratio.median === null) return null;
  return (scenario.ratio.median / b.ratio.median) * 100;
}

/** `field` of each round's database count, a second of the measured part, median. */
function dbPerSecond(s, field) {
  return median(
    s.rounds
      .filter((r) => typeof r.db?.[field] === 'number' && r.cand.seconds > 0)
      .map((r) => r.db[field] / r.cand.seconds),
  );
}

/** The database statements a second (MariaDB's count), median. */
const queriesPerSecond = (s) => dbPerSecond(s, 'statements');

/**
 * The key lookup queries a second, by the replica's own count: the statements the window
 * bounds, without what the replica sends anyway (its health check for the cluster view, and
 * the periodic reads of held rows). Null for runs that did not read it.
 */
const keyLookupsPerSecond = (s) => dbPerSecond(s, 'keyLookups');

/** JWT targets are against the API key path (repeated) or bare Fastify itself (fresh). */
function jwtVerdict(results, s, valid) {
  const entry = {
    scenario: s.id,
    target: TARGETS[s.target],
    percentOfB: percentOfB(results, s),
    valid,
  };
  const ratio = s.ratio.median;
  if (s.target === 'jwtFresh') {
    entry.ofBareFastify = ratio;
    entry.met = valid && ratio !== null && ratio >= 0.35;
    return entry;
  }
  // The key path on the same replica, in the same rounds.
  const key = results.scenarios.find((candidate) => candidate.id === 'apiKeyJwtReplica');
  entry.ofApiKey = key?.ratio.median ? ratio / key.ratio.median : null;
  entry.met = valid && entry.ofApiKey !== null && entry.ofApiKey >= 0.9;
  return entry;
}

/**
 * Capacity against bare Fastify itself; a user read on MariaDB must also be one query
 * (counted by MariaDB: up to 5 % more for the replica's own background statements).
 */
function capacityVerdict(results, s, valid) {
  const ratio = s.ratio.median;
  if (s.target === 'keyCapacity') {
    // Beside the verdict, not in it: the same route on NestJS with a one-line guard.
    const nest = results.scenarios.find((candidate) => candidate.id === 'nestReference');
    return {
      scenario: s.id,
      target: TARGETS.keyCapacity,
      ofBareFastify: ratio,
      ofNestReference: nest?.ratio.median && ratio !== null ? ratio / nest.ratio.median : null,
      valid,
      met: valid && ratio !== null && ratio >= 0.6,
    };
  }
  const mariadb = s.db === 'MariaDB';
  const q = s.queriesPer1k?.median ?? null;
  const capacityMet = valid && ratio !== null && ratio >= (mariadb ? 0.15 : 0.25);
  const queriesMet = !mariadb || (q !== null && q <= 1_050);
  return {
    scenario: s.id,
    target: mariadb ? TARGETS.userReadMariaDB : TARGETS.userReadSQLite,
    ofBareFastify: ratio,
    queriesPer1k: mariadb ? q : undefined,
    capacityMet,
    queriesMet,
    valid,
    met: capacityMet && queriesMet,
  };
}

/** Every target the issue sets, with the figure measured and whether it was met. */
export function evaluate(results) {
  const verdicts = [];
  for (const s of results.scenarios) {
    if (!s.target || s.target === 'perCore') continue;
    const valid = s.expectedShare >= MIN_EXPECTED_SHARE;
    if (s.target === 'grantRate') {
      // CPU per grant, server process only (the database's own CPU is not in it for MariaDB).
      const perCore = s.cpuSecondsPerRequest ? 1 / s.cpuSecondsPerRequest : null;
      verdicts.push({
        scenario: s.id,
        target: TARGETS.grantRate,
        grantsPerSecondPerCore: perCore,
        valid,
        met: valid && perCore !== null && perCore >= 1200,
      });
      continue;
    }
    if (s.target === 'keyCapacity' || s.target === 'userRead') {
      verdicts.push(capacityVerdict(results, s, valid));
      continue;
    }
    if (s.target === 'jwtRepeated' || s.target === 'jwtFresh') {
      verdicts.push(jwtVerdict(results, s, valid));
      continue;
    }
    const pct = percentOfB(results, s);
    const throughputMet = valid && pct !== null && pct >= 80;
    const entry = { scenario: s.id, target: TARGETS[s.target], percentOfB: pct, valid };
    if (s.target === 'floodWithQueries') {
      const q = s.queriesPer1k?.median ?? null;
      const perSecond = queriesPerSecond(s);
      const lookupsPerSecond = keyLookupsPerSecond(s);
      entry.queriesPer1k = q;
      entry.queriesPerSecond = perSecond;
      entry.keyLookupsPerSecond = lookupsPerSecond;
      entry.throughputMet = throughputMet;
      // MariaDB's count must cover the replica's: it cannot report fewer lookups than it sent.
      const bounded = lookupsPerSecond ?? perSecond;
      entry.queriesMet =
        valid &&
        bounded !== null &&
        bounded <= 100 &&
        (lookupsPerSecond === null || (perSecond !== null && perSecond >= lookupsPerSecond));
      entry.met = entry.throughputMet && entry.queriesMet;
    } else {
      entry.met = throughputMet;
    }
    verdicts.push(entry);
  }
  // Last-use tracking: the key path against the same path on a replica with it off, judged
  // head to head; the two replicas' separate ratios against bare Fastify are shown beside.
  // Results of runs before the head to head are judged as they were, on the separate ratios.
  const tracked = results.scenarios.find((s) => s.id === 'apiKeyTracked');
  const untracked = results.scenarios.find((s) => s.id === 'apiKeyUntracked');
  const duel = results.lastUseHeadToHead ?? null;
  if (tracked && untracked) {
    const separately = medianShare(tracked.ratio, untracked.ratio);
    const share = duel === null ? separately : duel.ratio;
    const valid =
      duel === null
        ? tracked.expectedShare >= MIN_EXPECTED_SHARE &&
          untracked.expectedShare >= MIN_EXPECTED_SHARE
        : duel.allAnswered;
    verdicts.push({
      scenario: 'lastUseOverhead',
      target: TARGETS.lastUseOverhead,
      ofUntracked: share,
      separately,
      valid,
      met: valid && share !== null && share >= 0.98,
    });
  }
  if (results.cluster) {
    // Two verdicts per series. Applied: the replicas' own record of dropping the key, the
    // p99 per revocation at its bucket's upper bound (a ceiling). Client-observed: the
    // first 401 a polling client saw, an upper bound whose floor is the probe's own round
    // trip. The headline status is the applied one; the README says so.
    for (const [key, target, boundMs] of [
      ['idle', TARGETS.propagationIdle, 5],
      ['loadOne', TARGETS.propagationLoadOne, 10],
      ['loadAll', TARGETS.propagationLoadAll, 15],
    ]) {
      const series = results.cluster[key];
      const p99 = series.applied.p99PerRevocation;
      const valid = series.applied.observations === 2 * series.cycles && series.timeouts === 0;
      const clientP99 = series.fromDeleteAcknowledgedMs.p99;
      // Idle, the floor is Redis itself: bare pub/sub to three subscribers in the same run.
      const floor =
        key === 'idle' ? (results.cluster.bareRedis?.perRevocationMs.p99 ?? null) : null;
      verdicts.push({
        scenario: `propagation-${key}`,
        target,
        p99PerRevocationMs: p99?.estimate ?? null,
        p99PerRevocationAtMostMs: p99?.atMost ?? null,
        clientObservedP99Ms: clientP99,
        clientObservedMet: clientP99 < boundMs,
        redisFloorP99Ms: floor,
        withinRedisFloor: floor !== null && p99 !== null ? p99.estimate <= floor : null,
        valid,
        met: valid && p99 !== null && p99.atMost <= boundMs,
      });
    }
  }
  if (results.memory) {
    const mb = results.memory.mbFor100k;
    const valid = results.memory.accepted === results.memory.keys;
    verdicts.push({
      scenario: 'memory',
      target: TARGETS.memory,
      mbFor100k: mb,
      extrapolated: results.memory.extrapolated,
      valid,
      // Fewer keys than the target names: fixed overheads would dominate, so no verdict.
      met: results.memory.extrapolated ? null : valid && mb < 100,
    });
  }
  if (results.scale) verdicts.push(...scaleVerdicts(results.scale));
  if (results.settings.mode === 'quick') for (const v of verdicts) v.indicative = true;
  return verdicts;
}

/** One spread's median over another's; null without both. */
function medianShare(x, y) {
  return x.median && y.median ? x.median / y.median : null;
}

/** The large replica's median ratio against bare Fastify over the small one's. */
const separateShare = (keyPath) => medianShare(keyPath.large, keyPath.small);

function scaleVerdicts(m) {
  // Fewer keys than a million (a quick run): figures only, no verdict.
  const judged = (met) => (m.extrapolated ? null : met);
  // Results of runs before the head to head (one pair, no `allCached`) are judged as they were.
  const duel = m.keyPath.headToHead ?? null;
  const valid =
    m.cachedLoad.accepted === m.cached &&
    m.allCached !== false &&
    m.keyPath.allAccepted &&
    duel?.allAnswered !== false;
  const share = duel === null ? separateShare(m.keyPath) : duel.ratio;
  return [
    { scenario: 'scale-ready', target: TARGETS.scaleReady, valid, met: judged(m.readyMs < 10_000) },
    {
      scenario: 'scale-memory',
      target: TARGETS.scaleMemory,
      valid,
      met: judged(valid && m.readings.afterCaching.afterGc.rss < 400e6),
    },
    {
      scenario: 'scale-keyPath',
      target: TARGETS.scaleKeyPath,
      ofSmall: share,
      valid,
      met: judged(valid && share !== null && share >= 0.95),
    },
  ];
}

// ---------------------------------------------------------------- formatting

const num = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value)
    ? '—'
    : value === Number.POSITIVE_INFINITY
      ? 'timeout'
      : value.toLocaleString('en', {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        });

const ms = (value) =>
  value === Number.POSITIVE_INFINITY ? 'timeout' : num(value, value !== null && value < 10 ? 2 : 1);
const mb = (bytes) => `${num(bytes / 1e6, 1)} MB`;
const status = (met) => (met ? 'met' : '**NOT met**');
/** A smoke run's verdicts are indicative only (few samples, short windows). */
const quickMark = (results, cell) =>
  results.settings.mode === 'quick' && cell !== '—' ? `${cell} (quick: indicative)` : cell;

/** A share as a percentage with one decimal; a dash without one. */
const percentOrDash = (ratio) => (ratio === null ? '—' : `${num(ratio * 100, 1)} %`);

/** A head-to-head figure's make-up: its pairs' medians and the rounds behind them. */
function headToHeadRounds(duel) {
  const rounds = duel.rounds.reduce((sum, n) => sum + n, 0);
  const perPair =
    duel.pairs > 1
      ? `geometric mean of ${duel.pairs} pairs' medians (${duel.pairMedians.map(percentOrDash).join(', ')})`
      : `median of one pair`;
  return `${percentOrDash(duel.ratio)}, ${perPair}, ${rounds} rounds`;
}

function ratioCell(spread) {
  if (spread.median === null) return '—';
  const digits = spread.median < 0.1 ? 3 : 2;
  return spread.n > 1
    ? `${num(spread.median, digits)} (${num(spread.min, digits)}–${num(spread.max, digits)})`
    : num(spread.median, digits);
}

function scenarioRow(results, s) {
  const verdict = results.evaluation.find((v) => v.scenario === s.id);
  const isA = s.id === 'baselineA';
  const isB = s.id.startsWith('baselineB');
  const pct = isA ? null : isB ? 100 : percentOfB(results, s);
  const notes = [];
  if (s.expectedShare < MIN_EXPECTED_SHARE) {
    const shares = Object.entries(s.statusCodes)
      .map(
        ([code, n]) =>
          `${code}: ${num((n / Object.values(s.statusCodes).reduce((x, y) => x + y, 0)) * 100, 1)} %`,
      )
      .join(', ');
    notes.push(
      `⚠ only ${num(s.expectedShare * 100, 1)} % answered ${s.expectedStatus} (${shares})`,
    );
  } else {
    notes.push(`all ${s.expectedStatus}`);
  }
  if (s.errors > 0) notes.push(`⚠ ${s.errors} socket errors/timeouts`);
  if (verdict?.ofNestReference != null)
    notes.push(`${num(verdict.ofNestReference * 100, 0)} % of the NestJS reference`);
  if ((s.target === 'perCore' || s.target === 'grantRate') && s.cpuSecondsPerRequest) {
    notes.push(
      `CPU ${num(s.cpuSecondsPerRequest * 1000, 1)} ms/req ⇒ ${num(1 / s.cpuSecondsPerRequest, 1)} req/s per core`,
    );
  }
  if (s.dbCpuSecondsPerRequest !== null && Number.isFinite(s.dbCpuSecondsPerRequest)) {
    notes.push(`MariaDB CPU ${num(s.dbCpuSecondsPerRequest * 1e6, 0)} µs/req (not in the ratio)`);
  }
  let queries = '—';
  if (s.queriesPer1k) {
    const q = s.queriesPer1k;
    const d = q.median < 10 ? 2 : 1;
    queries =
      q.n > 1 ? `${num(q.median, d)} (${num(q.min, d)}–${num(q.max, d)})` : num(q.median, d);
    const perSecond = queriesPerSecond(s);
    const lookupsPerSecond = keyLookupsPerSecond(s);
    if (perSecond !== null)
      notes.push(
        `≈ ${num(perSecond, 0)} queries/s` +
          (lookupsPerSecond === null
            ? ''
            : `, of which ${num(lookupsPerSecond, 0)} key lookups by the replica's count`),
      );
  } else if (s.db === 'SQLite') {
    queries = 'n/a (SQLite)';
  }
  let target = '—';
  let verdictCell = '—';
  if (verdict) {
    target = verdict.target;
    if (!verdict.valid) verdictCell = '**invalid run**';
    else if (verdict.capacityMet !== undefined) {
      verdictCell = verdict.met
        ? 'met'
        : `capacity ${verdict.capacityMet ? 'met' : '**NOT met**'}${verdict.queriesPer1k === undefined ? '' : `; queries ${verdict.queriesMet ? 'met' : '**NOT met**'}`}`;
    } else if (verdict.queriesPer1k !== undefined) {
      verdictCell = verdict.met
        ? 'met'
        : `throughput ${verdict.throughputMet ? 'met' : '**NOT met**'}; queries ${verdict.queriesMet ? 'met' : '**NOT met**'}`;
    } else verdictCell = status(verdict.met);
  } else if (s.target === 'perCore') {
    target = TARGETS.perCore;
  }
  return [
    s.label,
    s.db,
    ratioCell(s.ratio),
    pct === null ? '—' : `${num(pct, 0)} %`,
    num(s.rps.median, 0),
    `${num(s.p50Ms, 0)} / ${num(s.p99Ms, 0)}`,
    queries,
    notes.join('; '),
    target,
    quickMark(results, verdictCell),
  ];
}

function propagationRow(results, key, label) {
  const c = results.cluster[key];
  const t = c.fromDeleteAcknowledgedMs;
  const a = c.applied;
  const verdict = results.evaluation.find((v) => v.scenario === `propagation-${key}`);
  const quantile = (q) => (q === null ? '—' : `${ms(q.estimate)} (≤ ${ms(q.atMost)})`);
  const notes = [
    `applied: publish on A (after the commit) → eviction on B and C, from the replicas' histograms, ${num(a.observations)} applications; per application p50 ${quantile(a.p50)} · p95 ${quantile(a.p95)} · p99 ${quantile(a.p99)}; ${num((a.shareWithin10Ms ?? 0) * 100, 1)} % within 10 ms`,
    `client-observed upper bound (first 401 at a polling client, incl. one probe round trip): p50 ${ms(t.p50)} · p95 ${ms(t.p95)} · p99 ${ms(t.p99)} · max ${ms(t.max)} ms`,
    `probe round trip p50 ${ms(c.probeRoundTripMs.p50)} / p99 ${ms(c.probeRoundTripMs.p99)} ms`,
    `first probe already 401 in ${c.firstProbeAlreadyRefused}/${c.cycles}`,
  ];
  if (c.timeouts > 0) notes.push(`⚠ ${c.timeouts} not refused within 5 s`);
  if (a.observations !== 2 * c.cycles)
    notes.push(`⚠ ${a.observations} applications recorded for ${2 * c.cycles} expected`);
  const load = c.load ?? null;
  const clientCell = `client-observed p99 ${ms(t.p99)} ms: ${verdict.clientObservedMet ? 'met' : '**NOT met**'}`;
  const floorCell =
    verdict.withinRedisFloor === true && !verdict.met
      ? `; within the floor: bare Redis pub/sub p99 ${ms(verdict.redisFloorP99Ms)} ms in this run`
      : '';
  return [
    `${label} (${c.cycles} revocations)`,
    'MariaDB + Redis',
    '—',
    '—',
    load
      ? num(
          load.reduce((sum, l) => sum + l.rps, 0),
          0,
        )
      : '—',
    `applied, per revocation (slower of B and C): p99 ${quantile(a.p99PerRevocation)}`,
    '—',
    notes.join('; '),
    verdict.target,
    quickMark(
      results,
      `${verdict.valid ? `applied ${status(verdict.met)}${floorCell}` : '**invalid run**'}; ${clientCell}`,
    ),
  ];
}

function memoryRow(results) {
  const m = results.memory;
  const verdict = results.evaluation.find((v) => v.scenario === 'memory');
  const r = m.readings;
  const heapLine = (k) =>
    r.idleEmpty[k].heapUsed === null
      ? ''
      : ` (V8 heap used ${mb(r.idleEmpty[k].heapUsed)} → ${mb(r.idleLoaded[k].heapUsed)} → ${mb(r.cached[k].heapUsed)})`;
  const notes = [
    `after a full GC: RSS idle ${mb(r.idleEmpty.afterGc.rss)} → idle with the keys in the database ${mb(r.idleLoaded.afterGc.rss)} → ${mb(r.cached.afterGc.rss)} with ${num(m.keys)} keys cached${heapLine('afterGc')}; ${num(m.bytesPerKey, 0)} B per key`,
    `without forcing GC: ${mb(r.idleEmpty.asIs.rss)} → ${mb(r.idleLoaded.asIs.rss)} → ${mb(r.cached.asIs.rss)}${heapLine('asIs')}, ${num(m.bytesPerKeyAsIs, 0)} B per key`,
  ];
  if (m.accepted !== m.keys)
    notes.push(`⚠ only ${num(m.accepted)} of ${num(m.keys)} keys accepted`);
  return [
    `Memory: ${num(m.keys)} distinct keys cached (one request each)`,
    'MariaDB + Redis',
    '—',
    '—',
    num(m.loadRps, 0),
    '—',
    '—',
    notes.join('; '),
    verdict.target,
    m.extrapolated
      ? `not judged: ${num(m.keys)} keys only (${num(m.mbFor100k, 1)} MB per 100,000 if scaled linearly)`
      : `${verdict.valid ? status(verdict.met) : '**invalid run**'}: ${num(m.mbFor100k, 1)} MB per 100,000`,
  ];
}

function bareRedisRow(results) {
  const r = results.cluster.bareRedis;
  return [
    `Floor: bare Redis pub/sub, one publisher → three subscriber processes on core 0 (${num(r.messages)} messages, idle)`,
    'Redis',
    '—',
    '—',
    '—',
    `per revocation (slower of two): p99 ${ms(r.perRevocationMs.p99)}`,
    '—',
    `per delivery p50 ${ms(r.perDeliveryMs.p50)} · p99 ${ms(r.perDeliveryMs.p99)} · max ${ms(r.perDeliveryMs.max)} ms; per revocation p50 ${ms(r.perRevocationMs.p50)} · max ${ms(r.perRevocationMs.max)} ms (same clock)`,
    '— (reference for the idle row)',
    '—',
  ];
}

function scaleRows(results) {
  const m = results.scale;
  const verdict = (id) => results.evaluation.find((v) => v.scenario === id);
  const cell = (v, figure) =>
    m.extrapolated
      ? `not judged: ${num(m.keys)} keys only`
      : quickMark(results, `${v.valid ? status(v.met) : '**invalid run**'}: ${figure}`);
  const r = m.readings;
  const keyPath = verdict('scale-keyPath');
  return [
    [
      `Scale: ${num(m.keys)} API keys in MariaDB, process start → first key request served`,
      'MariaDB + Redis',
      '—',
      '—',
      '—',
      '—',
      '—',
      `healthy after ${num(m.healthyMs / 1000, 2)} s, first key (a database lookup) at ${num(m.readyMs / 1000, 2)} s; with ${num(m.smallKeys)} keys ${num(m.smallReadyMs / 1000, 2)} s; bulk insert of the keys took ${num(m.insertSeconds, 0)} s (harness)`,
      verdict('scale-ready').target,
      cell(verdict('scale-ready'), `${num(m.readyMs / 1000, 2)} s`),
    ],
    [
      `Scale: resident memory at ready, then with ${num(m.cached)} of them cached (one request each)`,
      'MariaDB + Redis',
      '—',
      '—',
      '—',
      '—',
      '—',
      `after a full GC: ${mb(r.atReady.afterGc.rss)} at ready → ${mb(r.afterCaching.afterGc.rss)}; without forcing GC: ${mb(r.atReady.asIs.rss)} → ${mb(r.afterCaching.asIs.rss)}; ${num(m.cachedLoad.accepted)} of ${num(m.cached)} accepted`,
      verdict('scale-memory').target,
      cell(verdict('scale-memory'), mb(r.afterCaching.afterGc.rss)),
    ],
    [
      `Scale: cache-hot key at ${num(m.keys)} keys (${num(m.cached)} cached) ÷ the same at ${num(m.smallKeys)} keys`,
      'MariaDB + Redis',
      `${ratioCell(m.keyPath.large)} vs ${ratioCell(m.keyPath.small)}`,
      '—',
      '—',
      '—',
      '—',
      m.keyPath.headToHead
        ? `capacity ÷ bare Fastify of each replica, same rounds (${percentOrDash(separateShare(m.keyPath))}); judged head to head (the two replicas co-run on core 0, drivers swapped each round): ${headToHeadRounds(m.keyPath.headToHead)}`
        : 'capacity ÷ bare Fastify of each replica, same rounds',
      keyPath.target,
      cell(keyPath, percentOrDash(keyPath.ofSmall)),
    ],
  ];
}

export function renderTable(results) {
  const m = results.machine;
  const s = results.settings;
  const header = [
    `Machine: ${m.cpuModel}, ${m.cores} cores${m.cpuMHz ? ` (${num(m.cpuMHz, 0)} MHz)` : ''}, ${m.memoryGiB} GiB, Linux ${m.kernel ?? '?'}, Node ${m.node}`,
    `Run: ${results.date}, ${s.mode}: ${s.rounds} round(s) × (${s.warmSeconds} s warm-up + ${s.measureSeconds} s), autocannon -c ${s.connections}; ` +
      `${s.pinning}; LOG_LEVEL=${s.logLevel}`,
    results.loadAverage?.start
      ? `Load average of the shared machine (1/5/15 min): ${results.loadAverage.start.join(' ')} at the start, ${results.loadAverage.end?.join(' ') ?? '?'} at the end.`
      : '',
    `Capacity = bare-Fastify CPU-s per request ÷ candidate's, co-run (1.00 = as cheap as bare Fastify); % of B = capacity ÷ baseline B's on the same database; req/s and latency are the candidate's while sharing core 0 with baseline A.`,
    s.queryCounting ? `Database queries counted by MariaDB: ${s.queryCounting}.` : '',
    s.mode === 'quick'
      ? '**Quick smoke run**: one short round per scenario and fewer keys and revocations; indicative only, use the full run for figures.'
      : '',
    '',
  ].filter((line, i, all) => line !== '' || i === all.length - 1);
  const columns = [
    'Scenario',
    'DB',
    'Capacity ÷ A, median (min–max)',
    '% of B',
    'req/s',
    'p50 / p99 ms',
    'DB queries per 1k req',
    'Notes',
    'Target',
    'Status',
  ];
  const rows = results.scenarios.map((sc) => scenarioRow(results, sc));
  if (results.cluster) {
    rows.push(
      propagationRow(
        results,
        'idle',
        'Revocation propagation, idle: DELETE on A → B and C refuse the key',
      ),
    );
    rows.push(propagationRow(results, 'loadOne', 'Propagation, replica B saturated'));
    rows.push(propagationRow(results, 'loadAll', 'Propagation, all three replicas loaded'));
  }
  if (results.cluster?.bareRedis) rows.push(bareRedisRow(results));
  if (results.memory) rows.push(memoryRow(results));
  if (results.scale) rows.push(...scaleRows(results));
  const lastUse = results.evaluation.find((v) => v.scenario === 'lastUseOverhead');
  if (lastUse)
    rows.push([
      'Last-use tracking: the raw key path with it on ÷ with it off (replicas alike but for it)',
      'SQLite',
      percentOrDash(lastUse.ofUntracked),
      '—',
      '—',
      '—',
      '—',
      results.lastUseHeadToHead
        ? `head to head, fresh pairs of replicas co-run on core 0, drivers swapped each round: ${headToHeadRounds(results.lastUseHeadToHead)}; the medians of the two rows above give ${percentOrDash(lastUse.separately)}`
        : 'medians of the two rows above',
      lastUse.target,
      quickMark(results, lastUse.valid ? status(lastUse.met) : '**invalid run**'),
    ]);
  const line = (cells) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [...header, line(columns), line(columns.map(() => '---')), ...rows.map(line), ''].join(
    '\n',
  );
}

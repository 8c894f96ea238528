// Revocation propagation across three replicas on MariaDB and Redis: revoke a key on
// replica A (DELETE /api/api-key/{id}) and time until B and C refuse it, two ways:
// - applied: each replica's own record of the moment it dropped the key, from publish on A
//   (after the commit) to the eviction on B or C, read from the replicas' histogram
//   portcullis_bus_propagation_lag_seconds{event="key.deleted"} before and after a series;
// - client-observed: the moment a polling client got its first 401 from both, an upper
//   bound that includes one probe round trip (under load, the probe queues behind it).
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabase } from './db.mjs';
import { call, expect } from './http.mjs';
import { createKey, startPortcullis, writeKickstart } from './portcullis.mjs';
import { waitFor } from './proc.mjs';
import { bareRedisPubSub } from './pubsub.mjs';
import { histogramQuantile, histogramShareWithin, max, median, percentile } from './stats.mjs';

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const VERSION_ONLY = { '/api/system/version': ['GET'] };
const DEADLINE_MS = 5_000;

/** Polls `path` with `key` on a replica until it answers `status`; null past the deadline. */
async function until(replica, key, status) {
  const started = performance.now();
  let polls = 0;
  const rtts = [];
  while (performance.now() - started < DEADLINE_MS) {
    const response = await call(`${replica.url}/api/system/version`, {
      headers: { authorization: key },
      timeoutMs: DEADLINE_MS,
    });
    polls++;
    rtts.push(response.ms);
    if (response.status === status) return { at: performance.now(), polls, rtts };
    if (response.status !== 200 && response.status !== 401) {
      throw new Error(`${replica.name} answered ${response.status} while polling for ${status}`);
    }
  }
  return { at: null, polls, rtts };
}

async function cycle(origin, receivers, managerKey) {
  const created = await createKey(origin.url, managerKey, VERSION_ONLY);
  // Each receiver answers 200 first: the key is then in its cache.
  const accepted = await Promise.all(receivers.map((r) => until(r, created.key, 200)));
  if (accepted.some((a) => a.at === null)) throw new Error('a new key was not accepted within 5 s');
  const sentAt = performance.now();
  await expect(200, `${origin.url}/api/api-key/${created.id}`, {
    method: 'DELETE',
    headers: { authorization: managerKey },
  });
  const ackAt = performance.now();
  const refused = await Promise.all(receivers.map((r) => until(r, created.key, 401)));
  const done = refused.every((r) => r.at !== null) ? Math.max(...refused.map((r) => r.at)) : null;
  return {
    afterAckMs: done === null ? Number.POSITIVE_INFINITY : done - ackAt,
    afterSendMs: done === null ? Number.POSITIVE_INFINITY : done - sentAt,
    deleteMs: ackAt - sentAt,
    firstProbeAlreadyRefused: refused.every((r) => r.polls === 1),
    probeRttMs: accepted.flatMap((a) => a.rtts),
  };
}

const LAG_BUCKET = /^portcullis_bus_propagation_lag_seconds_bucket\{([^}]*)\} (\S+)$/;

/** A replica's revocation histogram: [upper bound in ms, cumulative count], ascending. */
async function revocationBuckets(replica, managerKey) {
  const text = await expect(200, `${replica.url}/api/prometheus/metrics`, {
    headers: { authorization: managerKey },
  });
  const buckets = [];
  for (const line of text.split('\n')) {
    const match = LAG_BUCKET.exec(line);
    if (!match || !match[1].includes('event="key.deleted"')) continue;
    const le = /le="([^"]+)"/.exec(match[1])[1];
    buckets.push([le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le) * 1000, Number(match[2])]);
  }
  return buckets.sort((x, y) => x[0] - y[0]);
}

/**
 * The receivers' histograms summed: what they recorded between two readings. A replica
 * that never applied a revocation has no such series yet: it counts as zero everywhere.
 */
function bucketsBetween(before, after) {
  const bounds = [...new Set([...before, ...after].flat().map(([le]) => le))].sort((x, y) => x - y);
  const count = (reading, le) => reading.find(([bound]) => bound === le)?.[1] ?? 0;
  return bounds.map((le) => [
    le,
    after.reduce((sum, reading, r) => sum + count(reading, le) - count(before[r], le), 0),
  ]);
}

/**
 * Quantiles of the pooled applications (one per receiver per revocation). A revocation is
 * done when both B and C applied it, so its time is the slower of two: the pooled
 * p99.5 stands for the p99 per revocation (exact for independent receivers, an upper
 * bound when their lags rise and fall together).
 */
function applied(buckets) {
  const quantile = (q) => histogramQuantile(buckets, q);
  return {
    observations: buckets.length === 0 ? 0 : buckets[buckets.length - 1][1],
    p50: quantile(0.5),
    p95: quantile(0.95),
    p99: quantile(0.99),
    p99PerRevocation: quantile(Math.sqrt(0.99)),
    shareWithin10Ms: histogramShareWithin(buckets, 10),
    shareWithin50Ms: histogramShareWithin(buckets, 50),
  };
}

function summarize(measured, buckets) {
  const after = measured.map((s) => s.afterAckMs);
  const sent = measured.map((s) => s.afterSendMs);
  const quantiles = (values) => ({
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: max(values),
  });
  return {
    cycles: measured.length,
    timeouts: after.filter((v) => v === Number.POSITIVE_INFINITY).length,
    fromDeleteAcknowledgedMs: quantiles(after),
    fromDeleteSentMs: quantiles(sent),
    deleteRoundTripMs: {
      p50: median(measured.map((s) => s.deleteMs)),
      max: max(measured.map((s) => s.deleteMs)),
    },
    probeRoundTripMs: {
      p50: median(measured.flatMap((s) => s.probeRttMs)),
      p99: percentile(
        measured.flatMap((s) => s.probeRttMs),
        99,
      ),
    },
    firstProbeAlreadyRefused: measured.filter((s) => s.firstProbeAlreadyRefused).length,
    /** From the replicas' own clocks, in ms: { observations, p50/p95/p99: { estimate, atMost }, shares }. */
    applied: applied(buckets),
  };
}

async function cycles(count, warmup, origin, receivers, managerKey) {
  for (let i = 0; i < warmup; i++) await cycle(origin, receivers, managerKey);
  const histograms = () => Promise.all(receivers.map((r) => revocationBuckets(r, managerKey)));
  const before = await histograms();
  const samples = [];
  for (let i = 0; i < count; i++) samples.push(await cycle(origin, receivers, managerKey));
  return summarize(samples, bucketsBetween(before, await histograms()));
}

/**
 * Runs the idle and loaded propagation series. `drivers` are three load drivers (core 1).
 * Returns { idle, loadOne, loadAll, replicas, ... }.
 */
export async function clusterScenario({ dir, settings, drivers, log }) {
  const database = await createDatabase('cluster');
  const { file, managerKey } = writeKickstart(dir);
  const prefix = `pcbench-${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL,
    BUS_CHANNEL_PREFIX: prefix,
    KICKSTART_FILE: file,
  };
  // A first (it migrates the fresh database), then B and C together.
  const a = await startPortcullis('replica A', env);
  const [b, c] = await Promise.all([
    startPortcullis('replica B', env),
    startPortcullis('replica C', env),
  ]);
  const replicas = [a, b, c];
  try {
    await waitFor(
      'all three replicas to see each other on the bus',
      async () => {
        for (const replica of replicas) {
          const view = await call(`${replica.url}/api/system/cluster`, {
            headers: { authorization: managerKey },
          });
          if (view.status !== 200 || (view.body.replicas ?? []).length < 3) return false;
        }
        return true;
      },
      30_000,
      200,
    );
    const loadKey = (await createKey(a.url, managerKey, VERSION_ONLY)).key;
    const warmup = Math.max(5, Math.round(settings.cycles / 10));
    const result = { replicas: 3, busChannelPrefix: prefix, warmupCycles: warmup };

    result.bareRedis = await bareRedisPubSub({ messages: settings.cycles, log });
    log(`  cluster: ${settings.cycles} revocations, idle…`);
    result.idle = await cycles(settings.cycles, warmup, a, [b, c], managerKey);

    const loaded = async (label, targets) => {
      log(`  cluster: ${settings.cycles} revocations, ${label}…`);
      const loads = targets.map(({ driver, replica, connections }) =>
        driver.run({
          url: replica.url,
          path: '/api/system/version',
          headers: { authorization: loadKey },
          connections,
          seconds: 600, // a bound; stopped as soon as the cycles are done
        }),
      );
      await sleep(settings.warmSeconds * 1000);
      let series;
      try {
        series = await cycles(settings.cycles, warmup, a, [b, c], managerKey);
      } finally {
        for (const { driver } of targets) driver.stopLoad();
      }
      const loadResults = await Promise.all(loads);
      return {
        ...series,
        load: targets.map(({ replica }, i) => ({
          replica: replica.name,
          connections: loadResults[i].connections,
          rps: loadResults[i].rps,
          p50: loadResults[i].p50,
          p99: loadResults[i].p99,
          statusCodes: loadResults[i].statusCodes,
        })),
      };
    };
    result.loadOne = await loaded('replica B saturated (autocannon -c 50, cache-hot key)', [
      { driver: drivers[0], replica: b, connections: 50 },
    ]);
    result.loadAll = await loaded('all replicas loaded (autocannon -c 17 each)', [
      { driver: drivers[0], replica: a, connections: 17 },
      { driver: drivers[1], replica: b, connections: 17 },
      { driver: drivers[2], replica: c, connections: 17 },
    ]);
    return result;
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
  }
}

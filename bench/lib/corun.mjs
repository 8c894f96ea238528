// The co-run capacity ratio (shared/BENCHMARKING.md): reference and candidate servers run at
// the same time on core 0, each loaded by its own autocannon on core 1; each server's CPU
// time (utime + stime, all threads) is read before and after and divided by the requests
// it served. Ratio = reference CPU-s per request ÷ candidate CPU-s per request.
import { cpuSeconds } from './proc.mjs';
import { geometricMean, median } from './stats.mjs';

/**
 * One repetition: warm-up for both, then the measured window.
 * `counter` (optional) counts the candidate's database statements over the window, and
 * `lookups` (optional) reads the candidate's own count of key lookup queries.
 */
export async function coRunOnce({ ref, cand, settings, counter, lookups }) {
  const phase = (spec, seconds) => ({ ...spec, seconds });
  await Promise.all([
    ref.driver.run(phase(ref.spec, settings.warmSeconds)),
    cand.driver.run(phase(cand.spec, settings.warmSeconds)),
  ]);

  // The replica's count is read outside MariaDB's: reading it runs a health check.
  const l0 = lookups ? await lookups() : null;
  const q0 = counter ? await counter.read() : null;
  const refCpu0 = cpuSeconds(ref.pid);
  const candCpu0 = cpuSeconds(cand.pid);
  const refDone = ref.driver
    .run(phase(ref.spec, settings.measureSeconds))
    .then((load) => ({ load, cpu: cpuSeconds(ref.pid) - refCpu0 }));
  const candDone = cand.driver
    .run(phase(cand.spec, settings.measureSeconds))
    .then((load) => ({ load, cpu: cpuSeconds(cand.pid) - candCpu0 }));
  const c = await candDone;
  const q1 = counter ? await counter.read() : null;
  const l1 = lookups ? await lookups() : null;
  const r = await refDone;

  const refCpuPerReq = r.load.requests > 0 ? r.cpu / r.load.requests : null;
  const candCpuPerReq = c.load.requests > 0 ? c.cpu / c.load.requests : null;
  return {
    ratio: refCpuPerReq !== null && candCpuPerReq ? refCpuPerReq / candCpuPerReq : null,
    ref: { ...r.load, cpuSeconds: r.cpu, cpuPerRequest: refCpuPerReq },
    cand: { ...c.load, cpuSeconds: c.cpu, cpuPerRequest: candCpuPerReq },
    db:
      q0 && q1
        ? {
            statements: q1.statements - q0.statements,
            keyLookups: l0 !== null && l1 !== null ? l1 - l0 : null,
            perThousand:
              c.load.requests > 0
                ? ((q1.statements - q0.statements) / c.load.requests) * 1000
                : null,
            dbCpuSeconds: q1.cpuSeconds - q0.cpuSeconds,
            dbCpuPerRequest:
              c.load.requests > 0 ? (q1.cpuSeconds - q0.cpuSeconds) / c.load.requests : null,
          }
        : null,
  };
}

/**
 * Two servers of the same path head to head: both loaded at once on core 0, each by its own
 * driver on core 1, the drivers swapped every round (one autocannon measured its server 3–11 %
 * cheaper than the other did, whichever build it drove), no reference server. Each round's
 * figure is x's capacity ÷ y's (y's CPU time per request ÷ x's), so the two are judged in the
 * same windows rather than each against bare Fastify in windows of its own. `first` picks
 * which driver takes x in round 1, so that a series of pairs can alternate it too.
 */
export async function headToHead({ x, y, drivers, settings, rounds, first = 0 }) {
  const outcomes = [];
  for (let round = 0; round < rounds; round++) {
    const [dx, dy] = (round + first) % 2 === 0 ? drivers : [drivers[1], drivers[0]];
    outcomes.push(
      await coRunOnce({
        ref: { pid: y.pid, driver: dy, spec: y.spec },
        cand: { pid: x.pid, driver: dx, spec: x.spec },
        settings,
      }),
    );
  }
  return outcomes;
}

/** Whether one server's load had requests and every one of them got `status`. */
export function answeredAll(load, status = '200') {
  return load.requests > 0 && (load.statusCodes?.[status] ?? 0) === load.requests;
}

/** Whether every request of a co-run round, on both servers, got `status`. */
function allAnswered(outcome, status) {
  return answeredAll(outcome.ref, status) && answeredAll(outcome.cand, status);
}

/**
 * Pairs of head-to-head rounds summed up: each pair's median, and their geometric mean as the
 * figure (one process differs from another alike by a few per cent on its own, so fresh pairs
 * are averaged rather than one pair's rounds trusted).
 */
export function headToHeadSummary(pairs, status = '200') {
  const medians = pairs.map((outcomes) => median(outcomes.map((o) => o.ratio)));
  return {
    ratio: geometricMean(medians),
    pairMedians: medians,
    pairs: pairs.length,
    rounds: pairs.map((outcomes) => outcomes.length),
    allAnswered: pairs.every((outcomes) => outcomes.every((o) => allAnswered(o, status))),
    outcomes: pairs,
  };
}

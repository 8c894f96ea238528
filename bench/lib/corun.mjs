// The co-run capacity ratio (shared/BENCHMARKING.md): reference and candidate servers run at
// the same time on core 0, each loaded by its own autocannon on core 1; each server's CPU
// time (utime + stime, all threads) is read before and after and divided by the requests
// it served. Ratio = reference CPU-s per request ÷ candidate CPU-s per request.
import { cpuSeconds } from './proc.mjs';

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

/** A replica's propagation-lag histogram, as it reports it to the others (all events together). */
export interface LagHistogram {
  /** Upper bounds of the buckets, in milliseconds; the last bucket (`counts` has one more) is unbounded. */
  boundsMs: number[];
  /** How many changes fell in each bucket (not cumulative). */
  counts: number[];
  count: number;
}

interface Sample {
  metricName?: string;
  labels: Partial<Record<string, string | number>>;
  value: number;
}

/**
 * Folds prom-client's cumulative `_bucket` samples (one series per event label) into one
 * per-bucket histogram, so that a chart of it needs no Prometheus arithmetic.
 */
export function lagHistogram(samples: readonly Sample[]): LagHistogram {
  const cumulative = new Map<number, number>();
  for (const sample of samples) {
    if (!sample.metricName?.endsWith('_bucket')) continue;
    const le = sample.labels.le;
    const bound = le === '+Inf' || le === undefined ? Infinity : Number(le);
    cumulative.set(bound, (cumulative.get(bound) ?? 0) + sample.value);
  }
  const bounds = [...cumulative.keys()].sort((a, b) => a - b);
  const counts: number[] = [];
  let below = 0;
  for (const bound of bounds) {
    const total = cumulative.get(bound) ?? 0;
    counts.push(total - below);
    below = total;
  }
  if (bounds.at(-1) !== Infinity) counts.push(0);
  return {
    boundsMs: bounds.filter(Number.isFinite).map((seconds) => Math.round(seconds * 1e6) / 1e3),
    counts,
    count: below,
  };
}

/** Numbers, Infinity included (a timeout counts as slower than anything). */
const isNumber = (v) => typeof v === 'number' && !Number.isNaN(v);

export function median(values) {
  const sorted = values.filter(isNumber).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function min(values) {
  const finite = values.filter(isNumber);
  return finite.length ? Math.min(...finite) : null;
}

export function max(values) {
  const finite = values.filter(isNumber);
  return finite.length ? Math.max(...finite) : null;
}

/** The geometric mean of positive numbers (ratios); null without any. */
export function geometricMean(values) {
  const positive = values.filter((v) => isNumber(v) && v > 0);
  if (positive.length === 0) return null;
  return Math.exp(positive.reduce((sum, v) => sum + Math.log(v), 0) / positive.length);
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values, p) {
  const sorted = values.filter(isNumber).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function spread(values) {
  return { median: median(values), min: min(values), max: max(values), n: values.length };
}

export function round(value, digits = 2) {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * A quantile (q in 0..1) of a Prometheus histogram: `buckets` as [upper bound, cumulative
 * count] pairs, ascending, +Inf last. `estimate` interpolates linearly inside the bucket
 * (as PromQL's histogram_quantile does); `atMost` is the bucket's upper bound, a sure
 * ceiling. Null without observations.
 */
export function histogramQuantile(buckets, q) {
  const total = buckets.length ? buckets[buckets.length - 1][1] : 0;
  if (total === 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of buckets) {
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return { estimate: lower, atMost: le };
      const inside = count - below;
      const estimate = inside === 0 ? le : lower + ((le - lower) * (rank - below)) / inside;
      return { estimate, atMost: le };
    }
    lower = le;
    below = count;
  }
  return null;
}

/** The share of a histogram's observations at most `bound` (a bucket's upper bound). */
export function histogramShareWithin(buckets, bound) {
  const total = buckets.length ? buckets[buckets.length - 1][1] : 0;
  const bucket = buckets.find(([le]) => le === bound);
  return total === 0 || bucket === undefined ? null : bucket[1] / total;
}

/** One sample line of the Prometheus text format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A scrape: its samples, and the metric families it declares (`# TYPE` lines). */
export interface Metrics {
  readonly families: ReadonlySet<string>;
  readonly samples: readonly Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Metrics {
  const families = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type) families.add(type[1]);
    const match = line.startsWith('#') ? null : SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, label, value] of (match[2] ?? '').matchAll(LABEL)) labels[label] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return { families, samples };
}

/** The value of one series (a histogram's: `name_count`); 0 when it does not exist yet. */
export function sample(metrics: Metrics, name: string, labels: Record<string, string>): number {
  const found = metrics.samples.find(
    (candidate) =>
      candidate.name === name &&
      Object.entries(labels).every(([label, value]) => candidate.labels[label] === value),
  );
  return found?.value ?? 0;
}

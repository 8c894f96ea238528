/** Upper bounds of the latency buckets, in seconds. */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
] as const;

const DURATION = 'portcullis_http_request_duration_seconds';
const TOTAL = 'portcullis_http_requests_total';

/** One route, method and status: its count, latency sum, and count per bucket (not cumulative). */
interface Series {
  readonly labels: string;
  count: number;
  sum: number;
  readonly buckets: number[];
}

/** A label value in the text format: backslash, double quote and newline escaped. */
function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/**
 * HTTP requests by route, method and status, with their latency, in the Prometheus text
 * format (`portcullis_http_requests_total` and `portcullis_http_request_duration_seconds`).
 * A request costs three Map lookups (route, method, status: values Fastify hands over as the
 * same strings each time, so no key is built or hashed per request) and a few additions:
 * prom-client hashes its label object on every observation, twice per request for the two
 * metrics, which is more than the whole check of a cached API key. The text is made at
 * scrape time.
 */
export class RequestTally {
  private readonly routes = new Map<string, Map<string, Map<number, Series>>>();
  /** Every series in the order it first appeared. */
  private readonly series: Series[] = [];

  record(route: string, method: string, status: number, seconds: number): void {
    let methods = this.routes.get(route);
    if (methods === undefined)
      this.routes.set(route, (methods = new Map<string, Map<number, Series>>()));
    let statuses = methods.get(method);
    if (statuses === undefined) methods.set(method, (statuses = new Map<number, Series>()));
    let series = statuses.get(status);
    if (series === undefined) {
      series = {
        labels: `route="${escapeLabel(route)}",method="${escapeLabel(method)}",status="${status}"`,
        count: 0,
        sum: 0,
        buckets: new Array<number>(LATENCY_BUCKETS.length).fill(0),
      };
      statuses.set(status, series);
      this.series.push(series);
    }
    series.count++;
    series.sum += seconds;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]) {
        series.buckets[i]++;
        break;
      }
    }
  }

  /** Both metric families, each line ending in a newline. */
  render(): string {
    const duration = [
      `# HELP ${DURATION} HTTP requests by route, method and status, with their latency.`,
      `# TYPE ${DURATION} histogram`,
    ];
    const total = [
      `# HELP ${TOTAL} HTTP requests by route, method and status.`,
      `# TYPE ${TOTAL} counter`,
    ];
    for (const { labels, count, sum, buckets } of this.series) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, i) => {
        cumulative += buckets[i];
        duration.push(`${DURATION}_bucket{le="${bound}",${labels}} ${cumulative}`);
      });
      duration.push(`${DURATION}_bucket{le="+Inf",${labels}} ${count}`);
      duration.push(`${DURATION}_sum{${labels}} ${sum}`);
      duration.push(`${DURATION}_count{${labels}} ${count}`);
      total.push(`${TOTAL}{${labels}} ${count}`);
    }
    return `${duration.join('\n')}\n\n${total.join('\n')}\n`;
  }
}

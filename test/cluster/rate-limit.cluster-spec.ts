import { randomUUID } from 'node:crypto';
import { describeCluster } from '../support/cluster-gate';
import { Cluster, REDIS_URL, Replica, startCluster } from '../support/cluster';
import { parseMetrics, sample } from '../support/metrics';
import { TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(120_000);

async function createLimitedKey(replica: Replica, rateLimit: object): Promise<string> {
  const response = await replica.call('/api/api-key', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: { name: `limited-${randomUUID()}`, rateLimit } }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { apiKey: { key: string } }).apiKey.key;
}

/** `connections` callers per replica, each asking in a loop until `durationMs` has passed. */
async function load(replicas: Replica[], key: string, connections: number, durationMs: number) {
  const counts = new Map<string, Record<number, number>>();
  const until = Date.now() + durationMs;
  await Promise.all(
    replicas.flatMap((replica) =>
      Array.from({ length: connections }, async () => {
        while (Date.now() < until) {
          const response = await fetch(`${replica.url}/api/system/version`, {
            headers: { authorization: key },
          });
          await response.arrayBuffer();
          const byStatus = counts.get(replica.name) ?? {};
          byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
          counts.set(replica.name, byStatus);
        }
      }),
    ),
  );
  return counts;
}

describeCluster('per-key rate limits across replicas', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({ size: 2 });
  });
  afterAll(() => cluster?.stop());

  it('two replicas under concurrent load share one allowance: no more than the limit plus one burst', async () => {
    const [a, b] = cluster.replicas as [Replica, Replica];
    // 20 per 10 s (one every 500 ms) and 4 early.
    const limit = { requests: 20, seconds: 10, burst: 4 };
    const key = await createLimitedKey(a, limit);
    const durationMs = 3_000;
    const started = Date.now();
    const counts = await load([a, b], key, 8, durationMs);
    const elapsed = Date.now() - started;
    const admitted = [...counts.values()].reduce((sum, byStatus) => sum + (byStatus[200] ?? 0), 0);
    const refused = [...counts.values()].reduce((sum, byStatus) => sum + (byStatus[429] ?? 0), 0);
    // One allowance: the burst at once, then one per 500 ms (a limit per replica would be twice that).
    const allowance = limit.burst + 1 + Math.ceil(elapsed / 500);
    expect(admitted).toBeGreaterThanOrEqual(limit.burst + 1);
    expect(admitted).toBeLessThanOrEqual(Math.min(allowance, limit.requests + limit.burst));
    expect(refused).toBeGreaterThan(100);
    for (const byStatus of counts.values()) expect(byStatus[429]).toBeGreaterThan(0);
  });
});

describeCluster('per-key rate limits when Redis is away', () => {
  it.each([
    ['open', 200, 'gone'],
    ['closed', 429, 'hanging'],
  ])(
    'fails %s (answers %s) when Redis is %s, within the timeout, and counts it',
    async (mode, status, fault) => {
      const url = new URL(REDIS_URL);
      const proxy = new TcpProxy(url.hostname, Number(url.port || 6379));
      const port = await proxy.start();
      const cluster = await startCluster({
        size: 1,
        shared: {
          REDIS_URL: `redis://127.0.0.1:${port}`,
          RATE_LIMIT_ON_REDIS_FAILURE: mode,
          RATE_LIMIT_REDIS_TIMEOUT_MS: '200',
        },
      });
      try {
        const [a] = cluster.replicas as [Replica];
        const key = await createLimitedKey(a, { requests: 1000, seconds: 1, burst: 100 });
        const ask = () => fetch(`${a.url}/api/system/version`, { headers: { authorization: key } });
        expect((await ask()).status).toBe(200);
        // A hanging Redis (replies held, connection open) is the harder case: only the deadline ends it.
        if (fault === 'gone') await proxy.cut();
        else proxy.setMode('blackhole');
        const started = Date.now();
        const answer = await ask();
        expect(answer.status).toBe(status);
        expect(Date.now() - started).toBeLessThan(2_000);
        const metrics = parseMetrics(await (await a.call('/api/prometheus/metrics')).text());
        expect(
          sample(metrics, 'portcullis_rate_limit_redis_failures_total', { outcome: mode }),
        ).toBeGreaterThanOrEqual(1);
      } finally {
        await cluster.stop();
        await proxy.stop();
      }
    },
  );
});

import { describeCluster } from '../support/cluster-gate';
import { sample } from '../support/metrics';
import {
  busState,
  Cluster,
  createKeyOn,
  metricsOf,
  percentile,
  startCluster,
  statusWith,
  within,
} from '../support/cluster';

jest.setTimeout(180_000);

/** A change's deadline: staleness must end by then (a correctness bound, not a speed claim). */
const DEADLINE_MS = 2_000;

describeCluster('a cluster of three replicas on MySQL and Redis', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({ shared: { API_KEY_CACHE_TTL_SECONDS: '60' } });
  });
  afterAll(() => cluster?.stop());

  it('accepts a key created on A at once on A, B and C: zero 401s', async () => {
    const [a, b, c] = cluster.replicas as [
      (typeof cluster.replicas)[0],
      (typeof cluster.replicas)[0],
      (typeof cluster.replicas)[0],
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const { key } = await createKeyOn(a, {
        permissions: { endpoints: { '/api/tenant': ['GET'] } },
      });
      statuses.push(await statusWith(a, key), await statusWith(b, key), await statusWith(c, key));
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  it('enforces a delete, a narrowing, an expiry and a re-scope made on A on B and C, and reports propagation', async () => {
    const [a, ...others] = cluster.replicas;
    const samples: number[] = [];
    const failures: string[] = [];
    const changes: { name: string; apply: (id: string) => Promise<Response>; probe: string }[] = [
      {
        name: 'delete',
        apply: (id) => a.call(`/api/api-key/${id}`, { method: 'DELETE' }),
        probe: '/api/tenant',
      },
      {
        name: 'narrow',
        apply: (id) =>
          a.call(`/api/api-key/${id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              apiKey: { permissions: { endpoints: { '/api/tenant': ['POST'] } } },
            }),
          }),
        probe: '/api/tenant',
      },
      {
        name: 'expire',
        apply: (id) =>
          a.call(`/api/api-key/${id}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ apiKey: { expirationInstant: Date.now() - 1 } }),
          }),
        probe: '/api/tenant',
      },
      {
        name: 're-point to another endpoint',
        apply: (id) =>
          a.call(`/api/api-key/${id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              apiKey: { permissions: { endpoints: { '/api/system/version': ['GET'] } } },
            }),
          }),
        probe: '/api/tenant',
      },
    ];
    const LAG = 'portcullis_bus_propagation_lag_seconds';
    const lagCounts = async () =>
      Promise.all(
        others.map(async (replica) => {
          const metrics = await metricsOf(replica);
          return ['key.created', 'key.updated', 'key.deleted'].map((event) =>
            sample(metrics, `${LAG}_count`, { event }),
          );
        }),
      );
    const countsBefore = await lagCounts();
    for (let cycle = 0; cycle < 100; cycle++) {
      const change = changes[cycle % changes.length];
      const { id, key } = await createKeyOn(a, {
        permissions: { endpoints: { '/api/tenant': ['GET', 'POST'] } },
      });
      // Warm every replica's cache with the key as it is now.
      for (const replica of others) expect(await statusWith(replica, key, change.probe)).toBe(200);
      const response = await change.apply(id);
      expect(response.status).toBe(200);
      expect(await statusWith(a, key, change.probe)).toBe(401);
      for (const replica of others) {
        const took = await within(
          DEADLINE_MS,
          async () => (await statusWith(replica, key, change.probe)) === 401,
        );
        if (took === null)
          failures.push(`${change.name} not enforced on ${replica.name} within ${DEADLINE_MS} ms`);
        else samples.push(took);
      }
    }
    expect(failures).toEqual([]);
    // Each replica timed every change it applied from A, by kind: 100 creations, 75 updates, 25 deletions.
    const countsAfter = await lagCounts();
    expect(countsAfter.map((counts, r) => counts.map((n, i) => n - countsBefore[r][i]))).toEqual(
      others.map(() => [100, 75, 25]),
    );
    console.log(
      `propagation over ${samples.length} observations: p50 ${percentile(samples, 50).toFixed(2)} ms, ` +
        `p99 ${percentile(samples, 99).toFixed(2)} ms, max ${Math.max(...samples).toFixed(2)} ms ` +
        '(time from the change answered on A until B or C refused the key, including one HTTP round trip)',
    );
  });

  it('answers a probe from every replica, and lists all three as live', async () => {
    const [a] = cluster.replicas;
    const probe = (await (
      await a.call('/api/system/cluster/probe', { method: 'POST' })
    ).json()) as {
      replicas: { nodeId: string; latencyMs: number }[];
      missing: string[];
    };
    expect(probe.missing).toEqual([]);
    expect(probe.replicas).toHaveLength(3);
    const listing = (await (await a.call('/api/system/cluster')).json()) as {
      registry: string;
      replicas: { nodeId: string; busState: string; version: string }[];
    };
    expect(listing.registry).toBe('available');
    expect(listing.replicas.map((replica) => replica.busState)).toEqual([
      'subscribed',
      'subscribed',
      'subscribed',
    ]);
    expect(new Set(listing.replicas.map((replica) => replica.nodeId))).toEqual(
      new Set(probe.replicas.map((replica) => replica.nodeId)),
    );
    expect((await busState(a)).state).toBe('subscribed');
    for (const replica of cluster.replicas) {
      const view = (await (await replica.call('/api/system/cluster')).json()) as {
        node: { evictionLane: string };
      };
      expect([replica.name, view.node.evictionLane]).toEqual([replica.name, 'subscribed']);
    }
  });
});

import { describeCluster } from '../support/cluster-gate';
import { Cluster, Replica, startCluster, within } from '../support/cluster';

jest.setTimeout(120_000);

const ORIGIN = 'https://spa.example.com';

const preflight = async (replica: Replica) =>
  (
    await fetch(`${replica.url}/api/login`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    })
  ).status;

describeCluster('CORS settings across replicas', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({ size: 2, shared: { API_KEY_CACHE_TTL_SECONDS: '60' } });
  });
  afterAll(() => cluster?.stop());

  async function configure(replica: Replica, enabled: boolean) {
    const response = await replica.call('/api/system-configuration', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        systemConfiguration: {
          corsConfiguration: { enabled, allowedOrigins: [ORIGIN], allowedMethods: ['POST'] },
        },
      }),
    });
    expect(response.status).toBe(200);
  }

  it('applies a change made on A to B within the propagation bound, both ways', async () => {
    const [a, b] = cluster.replicas as [Replica, Replica];
    expect(await preflight(b)).not.toBe(204);
    await configure(a, true);
    expect(await within(2_000, async () => (await preflight(b)) === 204)).not.toBeNull();
    await configure(a, false);
    expect(await within(2_000, async () => (await preflight(b)) !== 204)).not.toBeNull();
  });
});

import { randomUUID } from 'node:crypto';
import { describeCluster } from '../support/cluster-gate';
import { REDIS_URL, Replica, startCluster, within } from '../support/cluster';
import { TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(120_000);

const status = async (replica: Replica, key: string) =>
  (
    await fetch(`${replica.url}/api/system/version`, {
      headers: { authorization: key },
    })
  ).status;

async function createKey(replica: Replica): Promise<{ id: string; key: string }> {
  const response = await replica.call('/api/api-key', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: { name: `rotated-${randomUUID()}` } }),
  });
  return ((await response.json()) as { apiKey: { id: string; key: string } }).apiKey;
}

async function rotate(replica: Replica, id: string, graceSeconds: number) {
  const response = await replica.call(`/api/api-key/${id}/rotate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ graceSeconds }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    apiKey: { key: string };
    previousKeyExpirationInstant: number;
  };
}

describeCluster('API key rotation across replicas', () => {
  it('takes the new value on B at once, and ends the old one on B at the grace instant, also when B heard nothing', async () => {
    const url = new URL(REDIS_URL);
    const proxy = new TcpProxy(url.hostname, Number(url.port || 6379));
    const port = await proxy.start();
    const ttlSeconds = 3;
    const cluster = await startCluster({
      size: 2,
      shared: { API_KEY_CACHE_TTL_SECONDS: String(ttlSeconds) },
      env: (index) => (index === 1 ? { REDIS_URL: `redis://127.0.0.1:${port}` } : {}),
    });
    try {
      const [a, b] = cluster.replicas as [Replica, Replica];

      // Heard: the new value works on B at once; the old one until the grace.
      const heard = await createKey(a);
      expect(await status(b, heard.key)).toBe(200);
      const rotated = await rotate(a, heard.id, 3);
      const took = await within(2_000, async () => (await status(b, rotated.apiKey.key)) === 200);
      expect(took).not.toBeNull();
      expect(await status(b, heard.key)).toBe(200);

      // Not heard, the old value read after the rotation: its record ends at the grace
      // instant, so B refuses it then though no message came (before its cache TTL ends).
      const unheard = await createKey(a);
      await proxy.cut();
      const second = await rotate(a, unheard.id, 2);
      expect(await status(b, unheard.key)).toBe(200);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, second.previousKeyExpirationInstant - Date.now()) + 50),
      );
      expect(await status(b, unheard.key)).toBe(401);

      // Not heard, the old value cached on B before the rotation: B cannot know, and
      // refuses it once its cache entry expires (API_KEY_CACHE_TTL_SECONDS), the bound of
      // any missed change.
      const cached = await createKey(a);
      expect(await status(b, cached.key)).toBe(200);
      const rotatedAt = Date.now();
      await rotate(a, cached.id, 0);
      const refused = await within(
        ttlSeconds * 1000 + 1_000,
        async () => (await status(b, cached.key)) === 401,
      );
      expect(refused).not.toBeNull();
      expect(Date.now() - rotatedAt).toBeLessThanOrEqual(ttlSeconds * 1000 + 1_000);
    } finally {
      await cluster.stop();
      await proxy.stop();
    }
  });
});

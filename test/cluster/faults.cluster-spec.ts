import Redis from 'ioredis';
import { describeCluster } from '../support/cluster-gate';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { randomKey } from '../support/app';
import {
  busState,
  caughtUpWith,
  Cluster,
  createKeyOn,
  REDIS_URL,
  Replica,
  replicaHost,
  startCluster,
  statusWith,
  within,
} from '../support/cluster';
import {
  ClientEntityMade,
  createEntity,
  grant,
  requestClientToken,
  wireScim,
} from '../support/client-credentials';
import { createTestDatabase } from '../support/databases';
import { TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(180_000);

const HEARTBEAT_MS = 200;
const TENANT_READER = { permissions: { endpoints: { '/api/tenant': ['GET'] } } };

async function nodeView(replica: Replica): Promise<{
  bus: {
    state: string;
    heartbeatMisses: number;
    lastResyncAt: number | null;
    resyncs: Record<string, number>;
  };
  cache: { staleFillsDropped: number };
}> {
  return ((await (await replica.call('/api/system/cluster')).json()) as { node: never }).node;
}

async function resubscribedSince(replica: Replica, since: number): Promise<boolean> {
  const view = await nodeView(replica);
  return view.bus.state === 'subscribed' && (view.bus.lastResyncAt ?? 0) > since;
}

/** Two replicas on a fresh database; B reaches MySQL only through a proxy the test controls. */
async function withMysqlBehindProxy(
  work: (cluster: Cluster, proxy: TcpProxy) => Promise<void>,
  shared: Record<string, string> = {},
): Promise<void> {
  const database = await createTestDatabase('mysql');
  const mysqlUrl = new URL(database.url);
  const proxy = new TcpProxy(mysqlUrl.hostname, Number(mysqlUrl.port || 3306));
  const viaProxy = new URL(database.url);
  viaProxy.port = String(await proxy.start());
  const cluster = await startCluster({
    size: 2,
    database,
    shared,
    env: (index) => (index === 1 ? { DATABASE_URL: viaProxy.toString() } : {}),
  });
  try {
    await work(cluster, proxy);
  } finally {
    await cluster.stop();
    await proxy.stop();
    await database.drop();
  }
}

const SERVICE_UNAVAILABLE = {
  generalErrors: [
    {
      code: '[ServiceUnavailable]',
      message: 'A service Portcullis depends on is unavailable. Try again shortly.',
    },
  ],
};

interface Timed {
  status: number | 'hung';
  ms: number;
  type: string | null;
  body: unknown;
}

/** A call with `key` that gives up after `patienceMs`: a hang is an answer too ('hung'). */
function timedCall(replica: Replica, path: string, key: string, patienceMs = 8_000) {
  return timed((signal) => replica.call(path, { key, signal }), patienceMs);
}

/** A client-credentials grant on `replica`, timed as `timedCall` is. */
function timedGrant(replica: Replica, client: ClientEntityMade, patienceMs = 8_000) {
  return timed(
    (signal) => requestClientToken(replica.url, client.clientId, client.clientSecret, signal),
    patienceMs,
  );
}

async function timed(
  send: (signal: AbortSignal) => Promise<Response>,
  patienceMs: number,
): Promise<Timed> {
  const started = performance.now();
  try {
    const response = await send(AbortSignal.timeout(patienceMs));
    const text = await response.text();
    return {
      status: response.status,
      ms: performance.now() - started,
      type: response.headers.get('content-type'),
      body: text === '' ? null : (JSON.parse(text) as unknown),
    };
  } catch {
    return { status: 'hung', ms: performance.now() - started, type: null, body: null };
  }
}

async function defaultTenantId(replica: Replica): Promise<string> {
  const { tenants } = (await (await replica.call('/api/tenant')).json()) as {
    tenants: { id: string; name: string }[];
  };
  return tenants.find(({ name }) => name === 'Default')!.id;
}

/** A proxy in front of the tests' Redis, wherever it runs (here, or in a container). */
function redisProxy(): TcpProxy {
  const url = new URL(REDIS_URL);
  return new TcpProxy(url.hostname, Number(url.port || 6379));
}

describeCluster('the cluster under faults', () => {
  it('after its subscription is killed, a replica refuses a key revoked meanwhile as soon as it resubscribes', async () => {
    const cluster = await startCluster({ shared: { API_KEY_CACHE_TTL_SECONDS: '600' } });
    try {
      const [a, b] = cluster.replicas as [Replica, Replica];
      const { id, key } = await createKeyOn(a, TENANT_READER);
      expect(await statusWith(b, key)).toBe(200);
      const before = Date.now();
      const admin = new Redis(REDIS_URL);
      await admin.client('KILL', 'TYPE', 'pubsub');
      await admin.quit();
      expect((await a.call(`/api/api-key/${id}`, { method: 'DELETE' })).status).toBe(200);
      expect(await within(10_000, () => resubscribedSince(b, before))).not.toBeNull();
      // No waiting for the TTL (ten minutes here): the resubscription flushed B's cache.
      expect(await statusWith(b, key)).toBe(401);
    } finally {
      await cluster.stop();
    }
  });

  it('keeps serving with Redis down, bounds staleness by the TTL, and enforces at once when Redis returns', async () => {
    const proxy = redisProxy();
    const port = await proxy.start();
    const ttlSeconds = 4;
    const cluster = await startCluster({
      shared: {
        REDIS_URL: `redis://127.0.0.1:${port}`,
        API_KEY_CACHE_TTL_SECONDS: String(ttlSeconds),
      },
    });
    try {
      const [a, b, c] = cluster.replicas as [Replica, Replica, Replica];
      const first = await createKeyOn(a, TENANT_READER);
      expect(await statusWith(b, first.key)).toBe(200);
      await proxy.cut();

      // Down: reads and writes go on, nothing answers 5xx.
      const statuses: number[] = [];
      for (const replica of [a, b, c])
        statuses.push(
          await statusWith(replica, first.key),
          (await replica.call('/api/system/cluster')).status,
        );
      const written = await createKeyOn(a, TENANT_READER);
      statuses.push(await statusWith(c, written.key));
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200]);

      // A revocation during the outage: B may serve its cached copy, but only until the TTL.
      const revokedAt = Date.now();
      expect((await a.call(`/api/api-key/${first.id}`, { method: 'DELETE' })).status).toBe(200);
      const took = await within(
        ttlSeconds * 1000 + 1_000,
        async () => (await statusWith(b, first.key)) === 401,
      );
      expect(took).not.toBeNull();
      expect(Date.now() - revokedAt).toBeLessThanOrEqual(ttlSeconds * 1000 + 1_000);

      // Another revocation just before Redis returns: enforced on resubscription, well inside the TTL.
      const second = await createKeyOn(a, TENANT_READER);
      expect(await statusWith(b, second.key)).toBe(200);
      const warmedAt = Date.now();
      expect((await a.call(`/api/api-key/${second.id}`, { method: 'DELETE' })).status).toBe(200);
      const restoredAt = Date.now();
      await proxy.restore();
      expect(await within(5_000, () => resubscribedSince(b, restoredAt))).not.toBeNull();
      expect(await statusWith(b, second.key)).toBe(401);
      expect(Date.now() - warmedAt).toBeLessThan(ttlSeconds * 1000);
    } finally {
      await cluster.stop();
      await proxy.stop();
    }
  });

  it('notices a half-open link to Redis through the heartbeat within two intervals, flushes and reconnects', async () => {
    const proxy = redisProxy();
    const port = await proxy.start();
    const cluster = await startCluster({
      size: 2,
      env: (index) => (index === 1 ? { REDIS_URL: `redis://127.0.0.1:${port}` } : {}),
    });
    try {
      const [, b] = cluster.replicas as [Replica, Replica];
      expect((await busState(b)).state).toBe('subscribed');
      const silentFrom = Date.now();
      proxy.setMode('blackhole');
      const noticed = await within(5_000, async () => (await nodeView(b)).bus.heartbeatMisses > 0);
      expect(noticed).not.toBeNull();
      const view = await nodeView(b);
      expect(view.bus.resyncs.heartbeat).toBeGreaterThanOrEqual(1);
      // Two intervals of silence, plus at most one interval until the next check.
      expect(view.bus.lastResyncAt! - silentFrom).toBeLessThanOrEqual(3 * HEARTBEAT_MS + 100);
      const healedFrom = Date.now();
      proxy.setMode('forward');
      expect(await within(10_000, () => resubscribedSince(b, healedFrom))).not.toBeNull();
    } finally {
      await cluster.stop();
      await proxy.stop();
    }
  });

  it('lets an invalidation that arrives during a database read win over that read', async () => {
    await withMysqlBehindProxy(async (cluster, proxy) => {
      const [a, b] = cluster.replicas as [Replica, Replica];
      // B's pool holds a live connection, so its next read goes straight out.
      expect(await statusWith(b, (await createKeyOn(a, TENANT_READER)).key)).toBe(200);
      const { id, key } = await createKeyOn(a, TENANT_READER);
      proxy.setMode('holdReplies');
      const pending = statusWith(b, key);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // B's read has run in MySQL and saw the key; its reply is held. Now the key goes.
      expect((await a.call(`/api/api-key/${id}`, { method: 'DELETE' })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      proxy.setMode('forward');
      expect(await pending).toBe(401);
      expect(await statusWith(b, key)).toBe(401);
      expect((await nodeView(b)).cache.staleFillsDropped).toBeGreaterThanOrEqual(1);
    });
  });

  it('migrates and seeds once when three replicas boot at the same moment on an empty database', async () => {
    const cluster = await startCluster();
    try {
      const connection = await createConnection({ uri: cluster.database.url });
      const [migrations] = await connection.query('SELECT COUNT(*) AS n FROM schema_migrations');
      const [tenants] = await connection.query(
        "SELECT COUNT(*) AS n FROM tenants WHERE name = 'Default'",
      );
      const [keys] = await connection.query('SELECT COUNT(*) AS n FROM api_keys');
      await connection.end();
      expect(
        [migrations, tenants, keys].map((rows) => Number((rows as { n: number }[])[0].n)),
      ).toEqual([
        readdirSync(join(__dirname, '..', '..', 'src', 'database', 'migrations', 'mysql')).length,
        1,
        1,
      ]);
      for (const replica of cluster.replicas)
        expect((await replica.call('/api/tenant')).status).toBe(200);
    } finally {
      await cluster.stop();
    }
  });

  it('with MySQL blackholed, answers a JSON 503 within the timeouts, and serves normally within seconds of the heal', async () => {
    const timeoutMs = 1_000;
    await withMysqlBehindProxy(
      async (cluster, proxy) => {
        const [a, b] = cluster.replicas as [Replica, Replica];
        const reader = await createKeyOn(a, {
          permissions: { endpoints: { '/api/tenant': ['GET'], '/api/user': ['GET'] } },
        });
        // B caches this key, and its pool holds a live connection.
        expect(await statusWith(b, reader.key)).toBe(200);
        const unseen = await createKeyOn(a, TENANT_READER);
        // Two clients of one target: B takes a grant for the first (and so holds its
        // client, target, grant and tenant), and never hears of the second.
        const onA = replicaHost(cluster, a);
        const tenantId = await defaultTenantId(a);
        const wiring = await wireScim(onA, tenantId);
        const unseenClient = await createEntity(onA, tenantId, wiring.clientTypeId);
        await grant(onA, tenantId, wiring.server.id, unseenClient.id, ['scim:user:read']);
        // The last grant drops the target on B when its message arrives: take B's grant after.
        await caughtUpWith(cluster, a);
        expect((await timedGrant(b, wiring.client)).status).toBe(200);
        proxy.setMode('blackhole');

        // Everything the grant reads is held: no query, so MySQL is not missed.
        expect(await timedGrant(b, wiring.client)).toMatchObject({ status: 200 });

        const answers = [];
        // A key B must look up, twice: the second lookup must not join the first's hung read.
        answers.push(await timedCall(b, '/api/tenant', unseen.key));
        answers.push(await timedCall(b, '/api/tenant', unseen.key));
        // Ordinary queries behind a cached key: a list, and a user read.
        answers.push(await timedCall(b, '/api/tenant', reader.key));
        answers.push(await timedCall(b, `/api/user/${randomUUID()}`, reader.key));
        // User reads asked for together, more than there are queries at once: those waiting
        // behind a hung query fail with it rather than wait for a query of their own.
        answers.push(
          ...(await Promise.all(
            Array.from({ length: 6 }, () => timedCall(b, `/api/user/${randomUUID()}`, reader.key)),
          )),
        );
        // A client B must look up.
        answers.push(await timedGrant(b, unseenClient));
        // A client B holds, of a tenant changed on A meanwhile: B drops the tenant at the
        // change's message and must read it again.
        await onA.client().patchTenant(tenantId, { tenant: { issuer: 'changed.example.com' } });
        let afterChange: Timed | undefined;
        const dropped = await within(5_000, async () => {
          afterChange = await timedGrant(b, wiring.client);
          return afterChange.status !== 200;
        });
        expect(dropped).not.toBeNull();
        answers.push(afterChange!);
        for (const answer of answers) {
          expect(answer).toMatchObject({ status: 503, body: SERVICE_UNAVAILABLE });
          expect(answer.type).toMatch(/^application\/json/);
          // The deadline, and a margin for a loaded machine.
          expect(answer.ms).toBeLessThan(timeoutMs + 1_500);
        }
        expect(b.child.exitCode).toBeNull();

        // What the database was sent meanwhile is lost, as in a real partition: the
        // replica must not wait on those connections.
        proxy.discardHeld();
        proxy.setMode('forward');
        const healed = await within(5_000, async () => {
          const [health, key, ...grants] = await Promise.all([
            b.call('/api/health', { signal: AbortSignal.timeout(2_000) }),
            timedCall(b, '/api/tenant', unseen.key, 2_000),
            timedGrant(b, wiring.client, 2_000),
            timedGrant(b, unseenClient, 2_000),
          ]);
          return [health, key, ...grants].every(({ status }) => status === 200);
        });
        expect(healed).not.toBeNull();
        expect(await statusWith(b, reader.key)).toBe(200);
      },
      {
        DATABASE_CONNECT_TIMEOUT_MS: String(timeoutMs),
        DATABASE_ACQUIRE_TIMEOUT_MS: String(timeoutMs),
        DATABASE_QUERY_TIMEOUT_MS: String(timeoutMs),
      },
    );
  });

  it('with MySQL cut, serves cached keys, answers 503 to a miss, and recovers when MySQL returns', async () => {
    await withMysqlBehindProxy(async (cluster, proxy) => {
      const [a, b] = cluster.replicas as [Replica, Replica];
      const cached = await createKeyOn(a, {
        permissions: { endpoints: { '/api/system/cluster': ['GET'], '/api/tenant': ['GET'] } },
      });
      expect(await statusWith(b, cached.key, '/api/system/cluster')).toBe(200);
      await proxy.cut();
      expect(await statusWith(b, cached.key, '/api/system/cluster')).toBe(200);
      const miss = await b.call('/api/tenant', { key: randomKey() });
      expect(miss.status).toBe(503);
      expect(miss.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await miss.json()).toEqual({
        generalErrors: [
          {
            code: '[ServiceUnavailable]',
            message: 'A service Portcullis depends on is unavailable. Try again shortly.',
          },
        ],
      });
      expect((await b.call('/api/tenant', { key: cached.key })).status).toBe(503);
      expect(b.child.exitCode).toBeNull();
      await proxy.restore();
      const fresh = await createKeyOn(a, TENANT_READER);
      expect(
        await within(10_000, async () => (await statusWith(b, fresh.key)) === 200),
      ).not.toBeNull();
    });
  });
});

// Redis Sentinel, with Debian's redis-server and redis-sentinel: a primary, a replica and
// three Sentinels on loopback ports of their own, two Portcullis replicas reaching Redis
// through `redis+sentinel://`, and the primary killed. No request answers 5xx, the bus
// subscribes again on the new primary, and a key revoked after the failover is refused by
// the other replica at once.
import Redis from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomKey, TEST_KEY_ENCRYPTION_SECRET } from '../support/app';
import { describeCluster } from '../support/cluster-gate';
import { within } from '../support/cluster';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { ServiceProcess, spawnService } from '../support/process';
import { debianBinary } from './infrastructure';
import { RedisServer, startRedis } from './redis-servers';

const REDIS = debianBinary('/usr/bin/redis-server', 'redis-server');
const SENTINEL = debianBinary('/usr/bin/redis-sentinel', 'redis-sentinel');
const describeOps = REDIS === null || SENTINEL === null ? describe.skip : describeCluster;
const MASTER = 'portcullis-test';

describeOps('Redis Sentinel failover', () => {
  jest.setTimeout(120_000);
  let dir: string;
  let database: TestDatabase;
  const servers: RedisServer[] = [];
  const replicas: ServiceProcess[] = [];
  const managerKey = randomKey();

  const call = (replica: ServiceProcess, path: string, key = managerKey, init: RequestInit = {}) =>
    fetch(`${replica.url}${path}`, {
      ...init,
      headers: { authorization: key, 'content-type': 'application/json' },
    });
  const busStateOf = async (replica: ServiceProcess) =>
    (
      (await (await call(replica, '/api/system/cluster')).json()) as {
        node: { bus: { state: string } };
      }
    ).node.bus.state;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-sentinel-'));
    const data = ['save ""', 'appendonly no'];
    const primary = await startRedis(REDIS!, dir, 'primary', () => data);
    const replica = await startRedis(REDIS!, dir, 'replica', () => [
      ...data,
      `replicaof 127.0.0.1 ${primary.port}`,
    ]);
    servers.push(primary, replica);
    for (let i = 1; i <= 3; i++)
      servers.push(
        await startRedis(SENTINEL!, dir, `sentinel-${i}`, () => [
          `sentinel monitor ${MASTER} 127.0.0.1 ${primary.port} 2`,
          `sentinel down-after-milliseconds ${MASTER} 1000`,
          `sentinel failover-timeout ${MASTER} 5000`,
        ]),
      );
    database = await createTestDatabase('mysql');
    writeFileSync(
      join(dir, 'kickstart.json'),
      JSON.stringify({ apiKeys: [{ key: managerKey, description: 'sentinel', keyManager: true }] }),
    );
    const sentinels = servers.slice(2).map((s) => `127.0.0.1:${s.port}`);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: `redis+sentinel://${sentinels.join(',')}/${MASTER}`,
      BUS_CHANNEL_PREFIX: `pc-sentinel-${randomKey().slice(0, 8)}`,
      BUS_HEARTBEAT_INTERVAL_MS: '200',
      KICKSTART_FILE: join(dir, 'kickstart.json'),
      KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET,
    };
    replicas.push(await spawnService(env));
    await replicas[0].ready;
    replicas.push(await spawnService(env));
    await replicas[1].ready;
    for (const each of replicas)
      expect(
        await within(10_000, async () => (await busStateOf(each)) === 'subscribed'),
      ).not.toBeNull();
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop('SIGKILL')));
    await Promise.all(servers.map((server) => server.kill('SIGKILL')));
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails over with no 5xx, resubscribes, and propagates a revocation at once', async () => {
    const [a, b] = replicas;
    const created = (await (
      await call(a, '/api/api-key', managerKey, {
        method: 'POST',
        body: JSON.stringify({ apiKey: {} }),
      })
    ).json()) as { apiKey: { key: string } };
    expect((await call(b, '/api/system/version', created.apiKey.key)).status).toBe(200);

    // Requests on both replicas all through the failover.
    const statuses: number[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        for (const replica of replicas) {
          statuses.push((await call(replica, '/api/system/version', created.apiKey.key)).status);
          statuses.push(
            (
              await call(replica, '/api/api-key', managerKey, {
                method: 'POST',
                body: JSON.stringify({ apiKey: {} }),
              })
            ).status,
          );
        }
      }
    })();

    await servers[0].kill('SIGKILL');
    // The Sentinels promote the replica; both Portcullis replicas subscribe to it.
    const sentinel = new Redis({ host: '127.0.0.1', port: servers[2].port, lazyConnect: true });
    await sentinel.connect();
    const promoted = await within(30_000, async () => {
      const [, port] = (await sentinel.call(
        'SENTINEL',
        'get-master-addr-by-name',
        MASTER,
      )) as string[];
      return Number(port) === servers[1].port;
    });
    sentinel.disconnect();
    expect(promoted).not.toBeNull();
    const resubscribed = await within(30_000, async () => {
      const states = await Promise.all(replicas.map(busStateOf));
      return states.every((state) => state === 'subscribed');
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    running = false;
    await load;
    expect(resubscribed).not.toBeNull();
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);

    // After the failover: a new key is accepted on B at once; revoked on A, refused on B
    // within a second.
    const after = (await (
      await call(a, '/api/api-key', managerKey, {
        method: 'POST',
        body: JSON.stringify({ apiKey: {} }),
      })
    ).json()) as { apiKey: { id: string; key: string } };
    expect((await call(b, '/api/system/version', after.apiKey.key)).status).toBe(200);
    expect(
      (await call(a, `/api/api-key/${after.apiKey.id}`, managerKey, { method: 'DELETE' })).status,
    ).toBe(200);
    const refusedAfterMs = await within(1_000, async () => {
      return (await call(b, '/api/system/version', after.apiKey.key)).status === 401;
    });
    console.log(
      `Sentinel failover: the replica promoted ${promoted?.toFixed(0)} ms after the primary was killed, ` +
        `both Portcullis replicas subscribed after ${resubscribed?.toFixed(0)} ms more; ` +
        `${statuses.length} requests, none 5xx; a revocation after it refused on B after ${refusedAfterMs?.toFixed(0)} ms`,
    );
    expect(refusedAfterMs).not.toBeNull();
  });
});

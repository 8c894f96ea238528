import { describeCluster } from '../support/cluster-gate';
import { randomKey } from '../support/app';
import { sample } from '../support/metrics';
import {
  Cluster,
  createKeyOn,
  metricsOf,
  REDIS_URL,
  Replica,
  startCluster,
  statusWith,
  within,
} from '../support/cluster';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { MysqlStatementCounter } from '../support/mysql-commands';
import { TcpProxy } from '../support/tcp-proxy';
import { DIGEST_BATCH_DEFAULTS } from '../../src/key-cache/digest-batch';

jest.setTimeout(180_000);

const VERSION = '/api/system/version';
const VERSION_READER = { permissions: { endpoints: { [VERSION]: ['GET'] } } };
const CREATED_LAG = [
  'portcullis_bus_propagation_lag_seconds_count',
  { event: 'key.created' },
] as const;

function proxyTo(url: string, defaultPort: number): TcpProxy {
  const target = new URL(url);
  return new TcpProxy(target.hostname, Number(target.port || defaultPort));
}

function through(url: string, proxy: TcpProxy): string {
  const via = new URL(url);
  via.hostname = '127.0.0.1';
  via.port = String(proxy.port);
  return via.toString();
}

/**
 * Two replicas; B reaches Redis and MySQL only through proxies the tests control, and its
 * statements are counted on the wire. B's heartbeat is slow, so that a held subscription
 * still looks healthy to it: its creation messages are merely late, the case a rule that
 * trusts the bus for a while gets wrong.
 */
describeCluster('lookups of keys a replica does not hold', () => {
  let database: TestDatabase;
  let cluster: Cluster;
  let a: Replica;
  let b: Replica;
  const redis = proxyTo(REDIS_URL, 6379);
  let mysql: TcpProxy;
  const counter = new MysqlStatementCounter();

  beforeAll(async () => {
    database = await createTestDatabase('mysql');
    mysql = proxyTo(database.url, 3306);
    mysql.tapClient(counter.tap);
    await Promise.all([mysql.start(), redis.start()]);
    cluster = await startCluster({
      size: 2,
      database,
      env: (index) =>
        index === 1
          ? {
              DATABASE_URL: through(database.url, mysql),
              REDIS_URL: through(REDIS_URL, redis),
              BUS_HEARTBEAT_INTERVAL_MS: '60000',
              // A hanging lookup answers 503 after the query deadline.
              DATABASE_QUERY_TIMEOUT_MS: '2000',
            }
          : {},
    });
    [a, b] = cluster.replicas as [Replica, Replica];
  });

  afterAll(async () => {
    await cluster?.stop();
    await Promise.all([mysql?.stop(), redis.stop()]);
    await database?.drop();
  });

  it('accepts keys created on A at once on B while B is flooded and its bus holds their creation messages, at one statement per window', async () => {
    const createdHeard = async () => sample(await metricsOf(b), ...CREATED_LAG);
    const heardBefore = await createdHeard();
    redis.setMode('holdReplies');

    let flooding = true;
    let floodRequests = 0;
    const floodStatuses: Record<number, number> = {};
    const statementsBefore = counter.statements;
    const started = performance.now();
    const flooders = Array.from({ length: 50 }, async () => {
      while (flooding) {
        floodRequests++;
        const status = await statusWith(b, randomKey(), VERSION);
        floodStatuses[status] = (floodStatuses[status] ?? 0) + 1;
      }
    });
    while (floodRequests < 500) await new Promise((resolve) => setTimeout(resolve, 5));
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { key } = await createKeyOn(a, VERSION_READER);
      statuses.push(await statusWith(b, key, VERSION));
    }
    flooding = false;
    await Promise.all(flooders);
    const elapsed = performance.now() - started;
    const statements = counter.statements - statementsBefore;
    // B heard none of the twenty creations while it accepted the keys.
    const heardDuringHold = (await createdHeard()) - heardBefore;
    redis.setMode('forward');

    expect(statuses).toEqual(Array(20).fill(200));
    expect(floodStatuses).toEqual({ 401: floodRequests });
    expect(heardDuringHold).toBe(0);
    // Every statement B sent meanwhile, its new keys' lookups included: one per window at most.
    expect(statements).toBeLessThanOrEqual(Math.ceil(elapsed / DIGEST_BATCH_DEFAULTS.windowMs) + 1);
    console.log(
      `flood on B: ${floodRequests} requests, ${statements} statements in ${Math.round(elapsed)} ms ` +
        `(${((statements / floodRequests) * 1000).toFixed(1)} per 1,000 requests)`,
    );
    expect(
      await within(10_000, async () => (await createdHeard()) - heardBefore >= 20),
    ).not.toBeNull();
  });

  it('answers the JSON 503 to every waiter of a lookup whose database hangs, and serves again once it answers', async () => {
    const fresh = await createKeyOn(a, VERSION_READER);
    mysql.setMode('blackhole');
    const keys = [fresh.key, ...Array.from({ length: 20 }, () => randomKey())];
    const responses = await Promise.all(
      keys.map((key) => b.call(VERSION, { key, signal: AbortSignal.timeout(30_000) })),
    );
    const answers = await Promise.all(
      responses.map(async (response) => ({
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.json(),
      })),
    );
    mysql.setMode('forward');
    expect(answers).toEqual(
      keys.map(() => ({
        status: 503,
        type: expect.stringMatching(/^application\/json/),
        body: {
          generalErrors: [
            {
              code: '[ServiceUnavailable]',
              message: 'A service Portcullis depends on is unavailable. Try again shortly.',
            },
          ],
        },
      })),
    );
    expect(await statusWith(b, fresh.key, VERSION)).toBe(200);
    expect(await statusWith(b, randomKey(), VERSION)).toBe(401);
  });
});

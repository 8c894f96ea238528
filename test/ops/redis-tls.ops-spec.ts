// Redis over TLS (`rediss://` and REDIS_TLS_CA_FILE), with Debian's redis-server and a test
// CA made by openssl: a replica connects and subscribes when the certificate names the
// address it dialled and chains to the CA; it never subscribes to a server whose certificate
// names another host, and says so in its bus state, while still serving from the database.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomKey, TEST_KEY_ENCRYPTION_SECRET } from '../support/app';
import { describeCluster } from '../support/cluster-gate';
import { within } from '../support/cluster';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { freePort, ServiceProcess, spawnService } from '../support/process';
import { certificates, debianBinary } from './infrastructure';
import { RedisServer, startRedis } from './redis-servers';

const REDIS = debianBinary('/usr/bin/redis-server', 'redis-server');
const OPENSSL = debianBinary('/usr/bin/openssl', 'openssl');
const describeOps = REDIS === null || OPENSSL === null ? describe.skip : describeCluster;

describeOps('Redis over TLS', () => {
  jest.setTimeout(90_000);
  let dir: string;
  let database: TestDatabase;
  const servers: RedisServer[] = [];
  const replicas: ServiceProcess[] = [];
  const managerKey = randomKey();

  const portcullis = async (redisUrl: string, ca: string) => {
    const service = await spawnService({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_TLS_CA_FILE: ca,
      BUS_CHANNEL_PREFIX: `pc-tls-${randomKey().slice(0, 8)}`,
      KICKSTART_FILE: join(dir, 'kickstart.json'),
      KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET,
    });
    await service.ready;
    replicas.push(service);
    return service;
  };
  const busState = async (service: ServiceProcess) =>
    (
      (await (
        await fetch(`${service.url}/api/system/cluster`, { headers: { authorization: managerKey } })
      ).json()) as { node: { bus: { state: string } } }
    ).node.bus.state;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-redis-tls-'));
    database = await createTestDatabase('mysql');
    writeFileSync(
      join(dir, 'kickstart.json'),
      JSON.stringify({ apiKeys: [{ key: managerKey, description: 'tls', keyManager: true }] }),
    );
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop('SIGKILL')));
    await Promise.all(servers.map((server) => server.kill('SIGKILL')));
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startTls(name: string, subjectAltName: string) {
    const files = certificates(OPENSSL!, dir, name, subjectAltName);
    const tlsPort = await freePort();
    const server = await startRedis(REDIS!, dir, name, () => [
      'save ""',
      'appendonly no',
      `tls-port ${tlsPort}`,
      `tls-cert-file ${files.cert}`,
      `tls-key-file ${files.key}`,
      `tls-ca-cert-file ${files.ca}`,
      'tls-auth-clients no',
    ]);
    servers.push(server);
    return { tlsPort, ca: files.ca };
  }

  it('subscribes over TLS to a server whose certificate names the address dialled', async () => {
    const { tlsPort, ca } = await startTls('redis-good', 'IP:127.0.0.1');
    const service = await portcullis(`rediss://127.0.0.1:${tlsPort}`, ca);
    expect(
      await within(10_000, async () => (await busState(service)) === 'subscribed'),
    ).not.toBeNull();
  });

  it('never subscribes to a server whose certificate names another host, and keeps serving', async () => {
    const { tlsPort, ca } = await startTls('redis-wrong-name', 'DNS:cache.example.com');
    const service = await portcullis(`rediss://127.0.0.1:${tlsPort}`, ca);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await busState(service)).not.toBe('subscribed');
    const version = await fetch(`${service.url}/api/system/version`, {
      headers: { authorization: managerKey },
    });
    expect(version.status).toBe(200);
  });
});

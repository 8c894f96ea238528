// A rolling restart the way Kubernetes does one, behind Debian's haproxy running the
// project's deploy/haproxy.cfg (addresses aside): three replicas on MariaDB and Redis, a
// steady mixed load through the load balancer, each replica stopped with SIGTERM, waited
// for and started again in turn. No request may fail, nothing acknowledged may be lost,
// and a key changed during the roll must be seen so by every replica at once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomKey, TEST_KEY_ENCRYPTION_SECRET } from '../support/app';
import { describeCluster } from '../support/cluster-gate';
import { REDIS_URL, within } from '../support/cluster';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { freePort, ServiceProcess, spawnService } from '../support/process';
import { LoadBalancer, startHaproxy } from './haproxy';
import { debianBinary } from './infrastructure';

const HAPROXY = debianBinary('/usr/sbin/haproxy', 'haproxy');
const describeOps = HAPROXY === null ? describe.skip : describeCluster;

/** The deploy sequence's settings, as k8s/portcullis.env and docker-compose.yml have them. */
const DRAIN_SECONDS = 5;
const WORKERS = 6;

interface Outcome {
  operation: string;
  ms: number;
  failure: string | null;
}

describeOps('rolling restart behind haproxy (deploy/haproxy.cfg)', () => {
  jest.setTimeout(240_000);
  let database: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  const managerKey = randomKey();
  const ports: number[] = [];
  const replicas: ServiceProcess[] = [];
  let lb: LoadBalancer;

  const start = async (index: number) => {
    const replica = await spawnService({ ...env, PORT: String(ports[index]) });
    await replica.ready;
    replicas[index] = replica;
  };
  const direct = (index: number, path: string, key = managerKey, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${ports[index]}${path}`, {
      ...init,
      headers: { authorization: key, ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    database = await createTestDatabase('mysql');
    dir = mkdtempSync(join(tmpdir(), 'portcullis-roll-'));
    writeFileSync(
      join(dir, 'kickstart.json'),
      JSON.stringify({ apiKeys: [{ key: managerKey, description: 'roll', keyManager: true }] }),
    );
    env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      BUS_CHANNEL_PREFIX: `pc-roll-${randomKey().slice(0, 8)}`,
      KICKSTART_FILE: join(dir, 'kickstart.json'),
      KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET,
      SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS),
    };
    for (let i = 0; i < 3; i++) ports.push(await freePort());
    await start(0);
    await Promise.all([start(1), start(2)]);
    lb = await startHaproxy(HAPROXY!, ports);
  });

  afterAll(async () => {
    await lb?.stop();
    await Promise.all(replicas.map((replica) => replica.stop('SIGKILL')));
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no request and no write while each replica is restarted in turn', async () => {
    const call = async (operation: string, path: string, init: RequestInit = {}) => {
      const started = performance.now();
      try {
        const response = await fetch(`${lb.url}${path}`, {
          ...init,
          headers: {
            authorization: managerKey,
            'content-type': 'application/json',
            ...(init.headers as Record<string, string>),
          },
        });
        const body = await response.text();
        const failure = response.status === 200 ? null : `${response.status} ${body}`;
        return { outcome: { operation, ms: performance.now() - started, failure }, body };
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
        return {
          outcome: { operation, ms: performance.now() - started, failure: cause },
          body: '',
        };
      }
    };
    const made = await call('create user', '/api/user', {
      method: 'POST',
      body: JSON.stringify({
        user: {
          email: `roll-${randomKey().slice(0, 8)}@example.com`,
          password: 'correct horse battery',
        },
      }),
    });
    expect(made.outcome.failure).toBeNull();
    const user = JSON.parse(made.body) as { user: { id: string } };

    const outcomes: Outcome[] = [];
    const created: string[] = [];
    const deleted: string[] = [];
    let running = true;
    const worker = async (n: number) => {
      for (let i = n; running; i++) {
        let result;
        switch (i % 4) {
          case 0:
            result = await call('key read', '/api/system/version');
            break;
          case 1:
            result = await call('user read', `/api/user/${user.user.id}`);
            break;
          case 2:
            result = await call('key create', '/api/api-key', {
              method: 'POST',
              body: JSON.stringify({
                apiKey: { metaData: { attributes: { description: 'roll' } } },
              }),
            });
            if (result.outcome.failure === null)
              created.push((JSON.parse(result.body) as { apiKey: { id: string } }).apiKey.id);
            break;
          default: {
            const id = created.length > deleted.length + 5 ? created[deleted.length] : null;
            if (id === null) {
              result = await call('key read', '/api/system/version');
              break;
            }
            deleted.push(id);
            result = await call('key delete', `/api/api-key/${id}`, { method: 'DELETE' });
          }
        }
        outcomes.push(result.outcome);
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));

    const rollStarted = performance.now();
    const drains: {
      notReadyAfterMs: number;
      servedWhileDraining: boolean;
      exitedAfterMs: number;
    }[] = [];
    const propagation: { acceptedEverywhere: boolean; refusedEverywhereMs: number | null }[] = [];
    for (let index = 0; index < 3; index++) {
      const stopping = replicas[index];
      const signalled = performance.now();
      stopping.child.kill('SIGTERM');
      // Not ready at once, while still serving: the load balancer takes it out first.
      const notReadyAfterMs = await within(2_000, async () => {
        return (await direct(index, '/api/health')).status === 503;
      });
      const servedWhileDraining = (await direct(index, '/api/system/version')).status === 200;
      await stopping.exited;
      drains.push({
        notReadyAfterMs: notReadyAfterMs ?? Number.POSITIVE_INFINITY,
        servedWhileDraining,
        exitedAfterMs: performance.now() - signalled,
      });
      await start(index);
      // As Kubernetes waits for the new pod's readiness: ready, and in the balancer's view
      // (two good checks a second apart).
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      // A key created now is accepted by every replica at once; revoked, it is refused
      // by every replica within a second.
      const made = await call('probe key create', '/api/api-key', {
        method: 'POST',
        body: JSON.stringify({ apiKey: {} }),
      });
      expect(made.outcome.failure).toBeNull();
      const probe = JSON.parse(made.body) as { apiKey: { id: string; key: string } };
      const everywhere = await Promise.all(
        [0, 1, 2].map(
          async (i) => (await direct(i, '/api/system/version', probe.apiKey.key)).status,
        ),
      );
      const revoked = await call('probe key delete', `/api/api-key/${probe.apiKey.id}`, {
        method: 'DELETE',
      });
      expect(revoked.outcome.failure).toBeNull();
      const refusedEverywhereMs = await within(1_000, async () => {
        const statuses = await Promise.all(
          [0, 1, 2].map(
            async (i) => (await direct(i, '/api/system/version', probe.apiKey.key)).status,
          ),
        );
        return statuses.every((status) => status === 401);
      });
      propagation.push({
        acceptedEverywhere: everywhere.every((status) => status === 200),
        refusedEverywhereMs,
      });
    }
    const rollSeconds = (performance.now() - rollStarted) / 1000;
    running = false;
    await load;

    const failures = outcomes.filter((outcome) => outcome.failure !== null);
    const byOperation = new Map<string, number>();
    for (const { operation } of outcomes)
      byOperation.set(operation, (byOperation.get(operation) ?? 0) + 1);
    console.log(
      [
        `rolling restart of 3 replicas behind haproxy in ${rollSeconds.toFixed(1)} s:`,
        `${outcomes.length} requests (${[...byOperation].map(([op, n]) => `${n} ${op}`).join(', ')}),`,
        `${failures.length} failed, max latency ${Math.max(...outcomes.map((o) => o.ms)).toFixed(0)} ms;`,
        `drains: ${drains.map((d) => `503 after ${d.notReadyAfterMs.toFixed(0)} ms, exited after ${(d.exitedAfterMs / 1000).toFixed(1)} s`).join('; ')};`,
        `revoked keys refused everywhere after ${propagation.map((p) => `${p.refusedEverywhereMs?.toFixed(0)} ms`).join(', ')}`,
      ].join(' '),
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(300);
    for (const drain of drains) {
      expect(drain.notReadyAfterMs).toBeLessThan(500);
      expect(drain.servedWhileDraining).toBe(true);
      expect(drain.exitedAfterMs).toBeGreaterThanOrEqual(DRAIN_SECONDS * 1000);
    }
    for (const seen of propagation) {
      expect(seen.acceptedEverywhere).toBe(true);
      expect(seen.refusedEverywhereMs).not.toBeNull();
    }

    // Every acknowledged write is there afterwards, on every replica.
    expect(created.length).toBeGreaterThan(20);
    const kept = new Set(created.filter((id) => !deleted.includes(id)));
    for (const [i, id] of created.entries()) {
      const status = (await direct(i % 3, `/api/api-key/${id}`)).status;
      expect({ id, status }).toEqual({ id, status: kept.has(id) ? 200 : 404 });
    }
  });
});

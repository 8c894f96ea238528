import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dialects, randomKey, TEST_KEY_ENCRYPTION_SECRET } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { ServiceProcess, spawnService } from '../support/process';

jest.setTimeout(30_000);

const FIRST_KEY = /first API key.*\n\n {2}(\S+)\n\nStore it now: it will not be shown again\./s;
const RECOVERY_KEY =
  /recovery API key.*\n\n {2}(\S+)\n\nStore it now: it will not be shown again\./s;

function get(service: ServiceProcess, path: string, key: string): Promise<Response> {
  return fetch(`${service.url}${path}`, { headers: { authorization: key } });
}

/** The key deletes itself, the one way a database loses its last key manager. */
async function deleteItself(service: ServiceProcess, key: string): Promise<void> {
  const list = (await (await get(service, '/api/api-key', key)).json()) as {
    apiKeys: { id: string; key: string }[];
  };
  const own = list.apiKeys.find((apiKey) => apiKey.key === key)!;
  const deleted = await fetch(`${service.url}/api/api-key/${own.id}`, {
    method: 'DELETE',
    headers: { authorization: key },
  });
  expect(deleted.status).toBe(200);
  expect((await get(service, '/api/tenant', key)).status).toBe(401);
}

describe('the service process', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-process-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['PORT', 'abc'],
    ['API_KEY_CACHE_TTL_SECONDS', '0'],
    ['DATABASE_URL', 'postgres://db/x'],
    ['LOCAL_METRICS_ENABLED', 'maybe'],
    ['TRUSTED_PROXIES', '10.0.0.0/99'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses to start with a bad %s, naming it', async (variable, value) => {
    const service = await spawnService({
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      [variable]: value,
    });
    expect(await service.exited).toBe(1);
    expect(service.errors()).toContain(`Invalid configuration: ${variable}`);
  });

  it('creates one key-manager key on first boot, shows it once, and never again', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` };
    const first = await spawnService(env);
    await first.ready;
    const printed =
      /first API key.*\n\n {2}(\S+)\n\nStore it now: it will not be shown again\./s.exec(
        first.output(),
      );
    expect(printed).not.toBeNull();
    const key = printed![1];
    expect(
      (await fetch(`${first.url}/api/tenant`, { headers: { authorization: key } })).status,
    ).toBe(200);
    expect(
      (await fetch(`${first.url}/api/api-key`, { headers: { authorization: key } })).status,
    ).toBe(200);
    expect(await first.stop()).toBe(0);

    const second = await spawnService(env);
    await second.ready;
    expect(second.output()).not.toContain('first API key');
    expect(second.output()).not.toContain(key);
    expect(
      (await fetch(`${second.url}/api/tenant`, { headers: { authorization: key } })).status,
    ).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  it('applies a kickstart file once, with variables, keys and requests in order', async () => {
    const key = randomKey();
    const tenantId = '3d1c7b55-8f0e-4d8e-9d1e-6b2a4f0c9a11';
    const kickstart = {
      variables: { adminKey: key, tenantId },
      apiKeys: [{ key: '#{adminKey}', description: 'admin', keyManager: true }],
      requests: [
        {
          method: 'POST',
          url: '/api/tenant/#{tenantId}',
          body: { tenant: { name: 'Kickstarted' } },
        },
        {
          method: 'POST',
          url: '/api/api-key',
          body: { apiKey: { key: '#{ENV.READER_KEY}', tenantId: '#{tenantId}' } },
        },
      ],
    };
    const file = join(dir, 'kickstart.json');
    writeFileSync(file, JSON.stringify(kickstart));
    const reader = randomKey();
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      KICKSTART_FILE: file,
      READER_KEY: reader,
    };
    const first = await spawnService(env);
    await first.ready;
    const tenant = await fetch(`${first.url}/api/tenant/${tenantId}`, {
      headers: { authorization: key },
    });
    expect(tenant.status).toBe(200);
    expect(((await tenant.json()) as { tenant: { name: string } }).tenant.name).toBe('Kickstarted');
    expect(
      (await fetch(`${first.url}/api/tenant/${tenantId}`, { headers: { authorization: reader } }))
        .status,
    ).toBe(200);
    expect(first.output()).not.toContain(key);
    await first.stop();

    // A second boot on the same database leaves it as it is: no duplicate tenant, no error.
    const second = await spawnService(env);
    await second.ready;
    const list = (await (
      await fetch(`${second.url}/api/tenant`, { headers: { authorization: key } })
    ).json()) as { tenants: unknown[] };
    expect(list.tenants).toHaveLength(2);
    await second.stop();
  });

  it('stops booting when a kickstart request fails, naming the request, and leaves no key behind', async () => {
    const key = randomKey();
    const file = join(dir, 'kickstart.json');
    writeFileSync(
      file,
      JSON.stringify({
        apiKeys: [{ key, keyManager: true }],
        requests: [{ method: 'POST', url: '/api/tenant', body: { tenant: {} } }],
      }),
    );
    const env = { DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, KICKSTART_FILE: file };
    const failed = await spawnService(env);
    expect(await failed.exited).toBe(1);
    expect(failed.errors()).toContain('kickstart: requests[0] POST /api/tenant failed with 400');

    writeFileSync(file, JSON.stringify({ apiKeys: [{ key, keyManager: true }] }));
    const fixed = await spawnService(env);
    await fixed.ready;
    expect(
      (await fetch(`${fixed.url}/api/tenant`, { headers: { authorization: key } })).status,
    ).toBe(200);
    await fixed.stop();
  });

  it('finishes an in-flight request on SIGTERM, then exits cleanly', async () => {
    const key = randomKey();
    const file = join(dir, 'kickstart.json');
    writeFileSync(file, JSON.stringify({ apiKeys: [{ key, keyManager: true }] }));
    const service = await spawnService({
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      KICKSTART_FILE: file,
    });
    await service.ready;
    const body = JSON.stringify({ tenant: { name: 'Draining' } });
    const answer = new Promise<number>((resolve, reject) => {
      const outgoing = request(
        `${service.url}/api/tenant`,
        {
          method: 'POST',
          headers: {
            authorization: key,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (incoming) => {
          incoming.resume();
          incoming.on('end', () => resolve(incoming.statusCode ?? 0));
        },
      );
      outgoing.on('error', reject);
      // Half the body now, the rest after the signal: the request is in flight when it arrives.
      outgoing.write(body.slice(0, 10));
      setTimeout(() => {
        service.child.kill('SIGTERM');
        setTimeout(() => outgoing.end(body.slice(10)), 300);
      }, 300);
    });
    expect(await answer).toBe(200);
    expect(await service.exited).toBe(0);
    expect(service.output()).toContain('shutting down');
  });
});

describe.each(dialects())('first-boot seeding on %s', (dialect) => {
  // A server database seals retrievable keys with the configured secret (SQLite makes its own).
  const sealing: Record<string, string> =
    dialect === 'mysql' ? { KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET } : {};
  let database: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    dir = mkdtempSync(join(tmpdir(), 'portcullis-seeding-'));
  });
  afterEach(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds once: with the last key gone, a restart prints no new key; --recover-key prints one', async () => {
    const env = { DATABASE_URL: database.url, ...sealing };
    const first = await spawnService(env);
    await first.ready;
    const key = FIRST_KEY.exec(first.output())![1];
    await deleteItself(first, key);
    expect(await first.stop()).toBe(0);

    const second = await spawnService(env);
    await second.ready;
    expect(second.output()).not.toContain('first API key');
    expect((await get(second, '/api/tenant', key)).status).toBe(401);
    expect(await second.stop()).toBe(0);

    const recovery = await spawnService(env, ['--recover-key']);
    expect(await recovery.exited).toBe(0);
    expect(recovery.output()).not.toContain('first API key');
    expect(recovery.output()).not.toContain('Portcullis is listening');
    const recovered = RECOVERY_KEY.exec(recovery.output())![1];

    const third = await spawnService(env);
    await third.ready;
    expect(third.output()).not.toContain('first API key');
    expect(third.output()).not.toContain(recovered);
    const keys = await get(third, '/api/api-key', recovered);
    expect(keys.status).toBe(200);
    expect(((await keys.json()) as { apiKeys: unknown[] }).apiKeys).toEqual([
      expect.objectContaining({ key: recovered, keyManager: true, permissions: { endpoints: {} } }),
    ]);
    expect((await get(third, '/api/tenant', recovered)).status).toBe(200);
    expect(await third.stop()).toBe(0);
  });

  it('applies a kickstart file once: with its keys gone, a restart does not apply it again', async () => {
    const key = randomKey();
    const file = join(dir, 'kickstart.json');
    writeFileSync(file, JSON.stringify({ apiKeys: [{ key, keyManager: true }] }));
    const env = { DATABASE_URL: database.url, ...sealing, KICKSTART_FILE: file };
    const first = await spawnService(env);
    await first.ready;
    expect(first.output()).toContain('kickstart applied');
    await deleteItself(first, key);
    expect(await first.stop()).toBe(0);

    const second = await spawnService(env);
    await second.ready;
    expect(second.output()).not.toContain('kickstart applied');
    expect(second.output()).not.toContain('first API key');
    expect((await get(second, '/api/tenant', key)).status).toBe(401);
    expect(await second.stop()).toBe(0);
  });

  it('runs --recover-key on a new database as a first boot, creating no second key', async () => {
    const env = { DATABASE_URL: database.url, ...sealing };
    const recovery = await spawnService(env, ['--recover-key']);
    expect(await recovery.exited).toBe(0);
    const key = FIRST_KEY.exec(recovery.output())![1];
    expect(recovery.output()).not.toContain('recovery API key');
    expect(recovery.output()).toContain('no other key was created');

    const service = await spawnService(env);
    await service.ready;
    expect(service.output()).not.toContain('first API key');
    const keys = (await (await get(service, '/api/api-key', key)).json()) as { total: number };
    expect(keys.total).toBe(1);
    expect(await service.stop()).toBe(0);
  });

  if (dialect === 'mysql') {
    it('prints one first key when three replicas boot at once on a new database', async () => {
      const replicas = await Promise.all(
        [1, 2, 3].map(() => spawnService({ DATABASE_URL: database.url, ...sealing })),
      );
      await Promise.all(replicas.map((replica) => replica.ready));
      const printed = replicas.flatMap((replica) => FIRST_KEY.exec(replica.output()) ?? []);
      expect(printed).toHaveLength(2); // one match: the whole text and the key
      const key = printed[1];
      for (const replica of replicas) {
        const keys = (await (await get(replica, '/api/api-key', key)).json()) as {
          total: number;
        };
        expect(keys.total).toBe(1);
      }
      await Promise.all(replicas.map((replica) => replica.stop()));
    });
  }
});

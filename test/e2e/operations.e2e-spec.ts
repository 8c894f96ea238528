import { networkInterfaces } from 'node:os';
import { digestBatchOptions } from '../../src/key-cache/digest-batch';
import {
  createKey,
  createTenant,
  dialects,
  failure,
  randomKey,
  startApp,
  TestApp,
} from '../support/app';
import { insertKeyRow } from '../support/fixtures';
import { rawRequest } from '../support/http';
import { Metrics, parseMetrics, sample } from '../support/metrics';

function basic(key: string): string {
  return `Basic ${Buffer.from(`apikey:${key}`).toString('base64')}`;
}

/** A non-loopback IPv4 address of this machine, or null. */
function outwardAddress(): string | null {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? [])
      if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return null;
}

describe.each(dialects())('operations surface on %s', (dialect) => {
  let test: TestApp;
  let statusKey: string;
  let metricsKey: string;

  beforeAll(async () => {
    test = await startApp(dialect);
    statusKey = (
      await createKey(test, {
        permissions: { endpoints: { '/api/status': ['GET'], '/api/system/version': ['GET'] } },
      })
    ).key;
    metricsKey = (
      await createKey(test, { permissions: { endpoints: { '/api/prometheus/metrics': ['GET'] } } })
    ).key;
  });
  afterAll(() => test?.close());

  async function scrape(): Promise<Metrics> {
    const response = await test.http('/api/prometheus/metrics', {
      headers: { authorization: basic(metricsKey) },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return parseMetrics(await response.text());
  }

  it('answers /api/status with one value without credentials, and in detail with a key', async () => {
    const anonymous = await test.client(null).retrieveSystemStatus();
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.response).toEqual({ status: 'ok' });
    for (const client of [test.client(statusKey)]) {
      const detailed = await client.retrieveSystemStatusUsingAPIKey();
      expect(detailed.response).toMatchObject({
        status: 'ok',
        version: expect.any(String),
        nodeId: expect.any(String),
        uptimeMs: expect.any(Number),
        database: { dialect, healthy: true },
        bus: { kind: 'in-process', state: 'embedded' },
      });
    }
    const viaBasic = await rawRequest(test.url, 'GET', '/api/status', {
      authorization: basic(statusKey),
    });
    expect(viaBasic.status).toBe(200);
    expect(JSON.parse(viaBasic.body)).toMatchObject({ version: expect.any(String) });
    // A credential is judged when present: a wrong one is a 401, not the anonymous answer.
    for (const authorization of [randomKey(), basic(randomKey()), metricsKey]) {
      const refused = await rawRequest(test.url, 'GET', '/api/status', { authorization });
      expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: '' });
    }
  });

  it('describes a single node on the embedded bus, with no eviction lane', async () => {
    const response = await test.http('/api/system/cluster', { key: test.managerKey });
    expect(response.status).toBe(200);
    const view = (await response.json()) as {
      node: { bus: { state: string }; evictionLane: string };
      replicas: unknown[];
    };
    expect(view.node.bus.state).toBe('embedded');
    expect(view.node.evictionLane).toBe('off');
    expect(view.replicas).toHaveLength(1);
  });

  it('answers /api/health with 200 and no body', async () => {
    const health = await test.client(null).retrieveSystemHealth();
    expect(health.statusCode).toBe(200);
    expect(health.response).toBeUndefined();
  });

  it('gives the version to a key holding it, raw or Basic', async () => {
    expect((await test.client(statusKey).retrieveVersion()).response).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    const viaBasic = await rawRequest(test.url, 'GET', '/api/system/version', {
      authorization: basic(statusKey),
    });
    expect({
      status: viaBasic.status,
      type: viaBasic.contentType,
      body: JSON.parse(viaBasic.body) as unknown,
    }).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: { version: expect.any(String) },
    });
    expect((await failure(test.client(metricsKey).retrieveVersion())).statusCode).toBe(401);
    expect((await failure(test.client(null).retrieveVersion())).statusCode).toBe(401);
  });

  it("logs a refusal once, on the request's own logger: its request id, the reason and the key id, never the key", async () => {
    const before = test.watch.logLines().length;
    expect((await failure(test.client(metricsKey).retrieveVersion())).statusCode).toBe(401);
    const lines = test.watch
      .logLines()
      .slice(before)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'authentication refused');
    expect(lines).toEqual([
      expect.objectContaining({
        reqId: expect.stringMatching(/^[0-9a-f]{12}-[0-9a-z]+$/),
        auth: { kind: 'apiKey', reason: 'endpoint_denied', keyId: expect.any(String) },
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(metricsKey);
  });
  it('exports Prometheus metrics whose counters move with a known sequence of requests', async () => {
    const scoped = (await createKey(test, { tenantId: await createTenant(test) })).key;
    const expired = (await createKey(test, { expirationInstant: Date.now() - 1 })).key;
    const before = await scrape();
    const refusals = {
      unknown_key: 3,
      endpoint_denied: 2,
      expired: 1,
      malformed: 1,
      global_only: 1,
    };
    for (let i = 0; i < refusals.unknown_key; i++)
      await test.http('/api/tenant', { key: randomKey() });
    for (let i = 0; i < refusals.endpoint_denied; i++)
      await test.http('/api/tenant', { key: metricsKey });
    await test.http('/api/tenant', { key: expired });
    await rawRequest(test.url, 'GET', '/api/system/version', {
      authorization: `Basic ${Buffer.from('admin:x').toString('base64')}`,
    });
    await test.http('/api/tenant/search', { key: scoped });
    for (let i = 0; i < 4; i++) await test.http('/api/system/version', { key: statusKey });
    const after = await scrape();

    for (const [reason, count] of Object.entries(refusals)) {
      const kind = reason === 'malformed' ? 'basicApiKey' : 'apiKey';
      const labels = { kind, result: 'refused', reason };
      expect([
        reason,
        sample(after, 'portcullis_auth_decisions_total', labels) -
          sample(before, 'portcullis_auth_decisions_total', labels),
      ]).toEqual([reason, count]);
    }
    const accepted = { kind: 'apiKey', result: 'accepted', reason: 'ok' };
    expect(
      sample(after, 'portcullis_auth_decisions_total', accepted) -
        sample(before, 'portcullis_auth_decisions_total', accepted),
    ).toBe(4);
    const version = { route: '/api/system/version', method: 'GET', status: '200' };
    expect(
      sample(after, 'portcullis_http_requests_total', version) -
        sample(before, 'portcullis_http_requests_total', version),
    ).toBe(4);
    expect(
      sample(after, 'portcullis_api_key_cache_events_total', { event: 'hits' }),
    ).toBeGreaterThan(sample(before, 'portcullis_api_key_cache_events_total', { event: 'hits' }));
    const families = after.families;
    for (const name of [
      'portcullis_api_key_cache_entries',
      'portcullis_api_key_cache_events_total',
      'portcullis_bus_subscriber_state',
      'portcullis_bus_last_message_age_seconds',
      'portcullis_bus_propagation_lag_seconds',
      'portcullis_database_pool_connections',
      'portcullis_http_request_duration_seconds',
      'portcullis_process_cpu_user_seconds_total',
    ]) {
      expect([name, families.has(name)]).toEqual([name, true]);
    }
    expect(sample(after, 'portcullis_bus_subscriber_state', { state: 'embedded' })).toBe(1);
  });

  it('refuses a flood of made-up keys with one lookup query per window, every digest read', async () => {
    const cacheOf = async () =>
      (
        (await (await test.http('/api/status', { key: statusKey })).json()) as {
          cache: { lookupQueries: number; lookupDigests: number };
        }
      ).cache;
    const before = await cacheOf();
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from(
        { length: 300 },
        async () => (await test.http('/api/tenant', { key: randomKey() })).status,
      ),
    );
    const elapsed = performance.now() - started;
    const after = await cacheOf();
    expect(statuses).toEqual(Array(300).fill(401));
    // The database, not a guess, refused each one; a query answers a whole window of them.
    expect(after.lookupDigests - before.lookupDigests).toBe(300);
    expect(after.lookupQueries - before.lookupQueries).toBeLessThanOrEqual(
      Math.ceil(elapsed / digestBatchOptions(dialect, 0).windowMs) + 1,
    );
  });

  it('accepts at once, during a flood, a key that exists but was never announced', async () => {
    const key = randomKey();
    const flood = Array.from({ length: 200 }, () => test.http('/api/tenant', { key: randomKey() }));
    // Written straight to the table: no message tells the replica about it.
    await insertKeyRow(test, key, { keyValue: null, retrievable: false });
    expect((await test.http('/api/tenant', { key })).status).toBe(200);
    const statuses = (await Promise.allSettled(flood)).map((result) =>
      result.status === 'fulfilled' ? result.value.status : 0,
    );
    expect(statuses).toEqual(Array(200).fill(401));
  });

  it('refuses the metrics without a key that holds them', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: statusKey },
      { authorization: basic(randomKey()) },
    ];
    for (const headers of attempts) {
      const refused = await rawRequest(test.url, 'GET', '/api/prometheus/metrics', headers);
      expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: '' });
    }
  });
});

describe('the loopback bypass', () => {
  const outward = outwardAddress();

  async function call(
    test: TestApp,
    host: string,
    path: string,
    headers: Record<string, string> = {},
  ) {
    return rawRequest(`http://${host}:${test.port}`, 'GET', path, headers);
  }

  describe('when local metrics are enabled', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await startApp('sqlite', { env: { LOCAL_METRICS_ENABLED: 'true' }, host: '0.0.0.0' });
    });
    afterAll(() => test?.close());

    it('lets a credential-less loopback request read the status in detail and the metrics', async () => {
      const status = await call(test, '127.0.0.1', '/api/status');
      expect(status.status).toBe(200);
      expect(JSON.parse(status.body)).toMatchObject({ version: expect.any(String) });
      const metrics = await call(test, '127.0.0.1', '/api/prometheus/metrics');
      expect(metrics.status).toBe(200);
      expect(parseMetrics(metrics.body).families.size).toBeGreaterThan(5);
    });

    it('judges a loopback request that carries credentials by them, and bypasses nothing else', async () => {
      expect(
        (await call(test, '127.0.0.1', '/api/prometheus/metrics', { authorization: randomKey() }))
          .status,
      ).toBe(401);
      expect(
        (await call(test, '127.0.0.1', '/api/status', { authorization: randomKey() })).status,
      ).toBe(401);
      expect((await call(test, '127.0.0.1', '/api/tenant')).status).toBe(401);
      expect((await call(test, '127.0.0.1', '/api/system/version')).status).toBe(401);
    });

    it('refuses a non-loopback peer, whatever its forwarding headers claim', async () => {
      if (outward === null) {
        if (process.env.CI)
          throw new Error('CI needs a non-loopback address to test the bypass from');
        console.warn(
          'no non-loopback address on this machine: bypass refusal from outside not tested',
        );
        return;
      }
      const forged: Record<string, string>[] = [
        {},
        { 'x-forwarded-for': '127.0.0.1' },
        { 'x-real-ip': '127.0.0.1' },
        { forwarded: 'for=127.0.0.1' },
        { host: 'localhost' },
        {
          'x-forwarded-for': '127.0.0.1',
          forwarded: 'for=127.0.0.1',
          'x-real-ip': '127.0.0.1',
          host: 'localhost',
        },
      ];
      for (const headers of forged) {
        const metrics = await call(test, outward, '/api/prometheus/metrics', headers);
        expect({ headers, status: metrics.status }).toEqual({ headers, status: 401 });
        const status = await call(test, outward, '/api/status', headers);
        expect({ headers, body: JSON.parse(status.body) as unknown }).toEqual({
          headers,
          body: { status: 'ok' },
        });
      }
    });
  });

  describe('when local metrics are off (the default)', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await startApp('sqlite', { host: '0.0.0.0' });
    });
    afterAll(() => test?.close());

    it('gives a loopback request without credentials nothing beyond the anonymous status', async () => {
      expect((await call(test, '127.0.0.1', '/api/prometheus/metrics')).status).toBe(401);
      const status = await call(test, '127.0.0.1', '/api/status');
      expect(JSON.parse(status.body)).toEqual({ status: 'ok' });
    });
  });
});

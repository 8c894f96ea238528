import { randomUUID } from 'node:crypto';
import { createKey, dialects, failure, startApp, TestApp } from '../support/app';
import { rawRequest } from '../support/http';

jest.setTimeout(60_000);

const NONE = null as unknown as string;

describe.each(dialects())('per-key rate limits, one replica (%s)', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(() => test?.close());

  const version = (key: string) =>
    rawRequest(test.url, 'GET', '/api/system/version', { authorization: key });

  it('answers 429 with the limit’s headers and an empty body once the burst is spent', async () => {
    const limited = await createKey(test, {
      name: `limited-${randomUUID()}`,
      rateLimit: { requests: 2, seconds: 60, burst: 1 },
    });
    const other = await createKey(test, {});
    // 2 a minute, spaced 30 s apart, and 1 early: two at once, then the next in 30 s.
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await version(limited.key)).status);
    expect(statuses).toEqual([200, 200]);
    const refused = await version(limited.key);
    expect({
      status: refused.status,
      body: refused.body,
      type: refused.contentType,
      limit: refused.headers['ratelimit-limit'],
      remaining: refused.headers['ratelimit-remaining'],
    }).toEqual({ status: 429, body: '', type: undefined, limit: '3', remaining: '0' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(29);
    expect(Number(refused.headers['ratelimit-reset'])).toBeGreaterThan(0);
    // Other keys draw on their own allowance (none here).
    for (let i = 0; i < 5; i++) expect((await version(other.key)).status).toBe(200);
    // A bad credential is a 401, as ever, not a 429.
    expect((await version('not-a-key-at-all-0000')).status).toBe(401);
  });

  it('shows the limit on the key, and a change of limit applies at once', async () => {
    const made = await createKey(test, {
      name: `changing-${randomUUID()}`,
      rateLimit: { requests: 1, seconds: 3600 },
    });
    const retrieved = (await test.client().retrieveAPIKey(made.id)).response.apiKey as Record<
      string,
      unknown
    >;
    expect(retrieved.rateLimit).toEqual({ requests: 1, seconds: 3600, burst: 0 });
    expect((await version(made.key)).status).toBe(200);
    expect((await version(made.key)).status).toBe(429);
    await test.client().patchAPIKey(made.id, { apiKey: { rateLimit: null } as never });
    expect((await version(made.key)).status).toBe(200);
    const after = (await test.client().retrieveAPIKey(made.id)).response.apiKey as Record<
      string,
      unknown
    >;
    expect(after).not.toHaveProperty('rateLimit');
  });

  it('lets a limited manager give out only limits no looser than its own', async () => {
    const manager = await createKey(test, {
      name: `limited-manager-${randomUUID()}`,
      keyManager: true,
      rateLimit: { requests: 100, seconds: 60, burst: 10 },
    });
    const ask = (rateLimit: object | undefined) =>
      test
        .client(manager.key)
        .createAPIKey(NONE, { apiKey: { name: `k-${randomUUID()}`, rateLimit } as never });
    expect((await ask({ requests: 50, seconds: 60, burst: 10 })).statusCode).toBe(200);
    expect((await ask({ requests: 200, seconds: 120, burst: 0 })).statusCode).toBe(200);
    for (const looser of [
      undefined,
      { requests: 101, seconds: 60, burst: 0 },
      { requests: 10, seconds: 60, burst: 11 },
    ])
      expect((await failure(ask(looser))).statusCode).toBe(401);
  });

  it.each([
    ['no requests', { seconds: 60 }, '[blank]apiKey.rateLimit.requests'],
    ['zero requests', { requests: 0, seconds: 60 }, '[invalid]apiKey.rateLimit.requests'],
    ['a negative burst', { requests: 1, seconds: 1, burst: -1 }, '[invalid]apiKey.rateLimit.burst'],
    [
      'text for seconds',
      { requests: 1, seconds: 'soon' },
      '[couldNotConvert]apiKey.rateLimit.seconds',
    ],
    ['a list', [1, 60], '[couldNotConvert]apiKey.rateLimit'],
  ])('refuses a limit with %s', async (_, rateLimit, code) => {
    const refused = await failure(
      test
        .client()
        .createAPIKey(NONE, { apiKey: { name: `bad-${randomUUID()}`, rateLimit } as never }),
    );
    expect(refused.statusCode).toBe(400);
    const codes = Object.values(refused.exception?.fieldErrors ?? {})
      .flat()
      .map((error) => error.code);
    expect(codes).toContain(code);
  });
});

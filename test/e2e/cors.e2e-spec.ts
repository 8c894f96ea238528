import { dialects, failure, startApp, TestApp } from '../support/app';
import { rawRequest, RawResponse } from '../support/http';

jest.setTimeout(60_000);

const ALLOWED = 'https://app.example.com';
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-max-age',
  'access-control-expose-headers',
];

function corsHeaders(response: RawResponse): Record<string, unknown> {
  return Object.fromEntries(
    CORS_HEADERS.filter((name) => response.headers[name] !== undefined).map((name) => [
      name,
      response.headers[name],
    ]),
  );
}

describe.each(dialects())('the system configuration and CORS (%s)', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(() => test?.close());

  const preflight = (origin: string, method: string, headers = '') =>
    rawRequest(test.url, 'OPTIONS', '/api/user', {
      origin,
      'access-control-request-method': method,
      ...(headers === '' ? {} : { 'access-control-request-headers': headers }),
    });

  const actual = (origin: string, key: string | null = test.managerKey) =>
    rawRequest(test.url, 'GET', '/api/system/version', {
      origin,
      ...(key === null ? {} : { authorization: key }),
    });

  it('is off by default: no CORS headers, and a preflight is not granted', async () => {
    const retrieved = await test.client().retrieveSystemConfiguration();
    expect(retrieved.response.systemConfiguration!.corsConfiguration).toMatchObject({
      enabled: false,
    });
    expect(corsHeaders(await actual(ALLOWED))).toEqual({});
    expect((await preflight(ALLOWED, 'GET')).status).not.toBe(204);
  });

  describe('once configured through the FusionAuth client', () => {
    beforeAll(async () => {
      const patched = await test.client().patchSystemConfiguration({
        systemConfiguration: {
          corsConfiguration: {
            enabled: true,
            allowedOrigins: [ALLOWED],
            allowedMethods: ['GET', 'POST'] as never,
            allowedHeaders: ['Authorization', 'Content-Type'],
            exposedHeaders: ['Retry-After'],
            allowCredentials: true,
            preflightMaxAgeInSeconds: 600,
          },
        },
      });
      expect(patched.statusCode).toBe(200);
    });

    it('grants a preflight from an allowed origin for an allowed method and headers', async () => {
      const granted = await preflight(ALLOWED, 'POST', 'authorization, content-type');
      expect({ status: granted.status, body: granted.body, cors: corsHeaders(granted) }).toEqual({
        status: 204,
        body: '',
        cors: {
          'access-control-allow-origin': ALLOWED,
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-allow-credentials': 'true',
          'access-control-max-age': '600',
        },
      });
    });

    it.each([
      ['another origin', 'https://evil.example', 'GET', ''],
      ['a method not allowed', ALLOWED, 'DELETE', ''],
      ['a header not allowed', ALLOWED, 'GET', 'x-secret'],
    ])(
      'answers 403 without CORS headers to a preflight from %s',
      async (_, origin, method, headers) => {
        const refused = await preflight(origin, method, headers);
        expect({ status: refused.status, cors: corsHeaders(refused) }).toEqual({
          status: 403,
          cors: {},
        });
      },
    );

    it('adds the grants to an actual request from an allowed origin, a 401 included', async () => {
      const ok = await actual(ALLOWED);
      expect({ status: ok.status, cors: corsHeaders(ok) }).toEqual({
        status: 200,
        cors: {
          'access-control-allow-origin': ALLOWED,
          'access-control-allow-credentials': 'true',
          'access-control-expose-headers': 'Retry-After',
        },
      });
      expect(ok.headers.vary).toContain('Origin');
      const refused = await actual(ALLOWED, 'not-a-key-0000000000');
      expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: '' });
      expect(corsHeaders(refused)['access-control-allow-origin']).toBe(ALLOWED);
      // CORS is not a credential.
      expect((await actual(ALLOWED, null)).status).toBe(401);
      expect(corsHeaders(await actual('https://evil.example'))).toEqual({});
    });

    it('reads back what was set, and PUT replaces it whole', async () => {
      const read = (await test.client().retrieveSystemConfiguration()).response
        .systemConfiguration!;
      expect(read.corsConfiguration).toEqual({
        enabled: true,
        allowCredentials: true,
        allowedHeaders: ['Authorization', 'Content-Type'],
        allowedMethods: ['GET', 'POST'],
        allowedOrigins: [ALLOWED],
        exposedHeaders: ['Retry-After'],
        preflightMaxAgeInSeconds: 600,
        debug: false,
      });
      expect(typeof read.lastUpdateInstant).toBe('number');
      const replaced = await test
        .client()
        .updateSystemConfiguration({ systemConfiguration: { reportTimezone: 'Europe/Paris' } });
      expect(replaced.response.systemConfiguration!.corsConfiguration!.enabled).toBe(false);
      expect(corsHeaders(await actual(ALLOWED))).toEqual({});
    });
  });

  it.each([
    ['an origin that is no origin', { allowedOrigins: ['not a url'] }, 'allowedOrigins[0]'],
    ['an origin with a path', { allowedOrigins: ['https://a.example/path'] }, 'allowedOrigins[0]'],
    ['a method that is none', { allowedMethods: ['FETCH'] }, 'allowedMethods[0]'],
    ['a header name with a space', { allowedHeaders: ['x bad'] }, 'allowedHeaders[0]'],
    ['a negative max age', { preflightMaxAgeInSeconds: -1 }, 'preflightMaxAgeInSeconds'],
  ])('refuses %s with a field error', async (_, cors, field) => {
    const refused = await failure(
      test.client().patchSystemConfiguration({
        systemConfiguration: { corsConfiguration: cors as never },
      }),
    );
    expect(refused.statusCode).toBe(400);
    expect(Object.keys(refused.exception?.fieldErrors ?? {})).toEqual([
      `systemConfiguration.corsConfiguration.${field}`,
    ]);
  });

  it('is global-only: a tenant-scoped key or a tenant header is refused', async () => {
    const tenantId = test.defaultTenantId;
    expect(
      (await failure(test.client(test.managerKey, tenantId).retrieveSystemConfiguration()))
        .statusCode,
    ).toBe(401);
  });
});

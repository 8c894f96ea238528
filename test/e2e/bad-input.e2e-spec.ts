import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { createKey, createTenant, dialects, failure, startApp, TestApp } from '../support/app';

/** What came back, byte for byte: the FusionAuth client hides the content type and raw body. */
interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** node:http rather than fetch: it sends what fetch refuses (oversized and repeated headers). */
function send(url: string, sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${url}${sent.path}`,
      { method: sent.method, headers: sent.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(sent.body);
  });
}

interface ErrorsBody {
  fieldErrors?: Record<string, { code: string; message: string }[]>;
  generalErrors?: { code: string; message: string }[];
}

/** Every code in a FusionAuth `Errors` body, general codes first, each field's codes in order. */
function codesOf(body: ErrorsBody): string[] {
  return [
    ...(body.generalErrors ?? []).map((error) => error.code),
    ...Object.values(body.fieldErrors ?? {}).flatMap((errors) => errors.map((error) => error.code)),
  ];
}

/** A well-formed Errors body: only the two lists, a message on every entry, field codes keyed by their field. */
function expectErrorsShape(body: ErrorsBody): void {
  for (const key of Object.keys(body)) expect(['fieldErrors', 'generalErrors']).toContain(key);
  for (const error of body.generalErrors ?? []) {
    expect(error.code).toMatch(/^\[[A-Za-z]+\]$/);
    expect(error.message).toEqual(expect.any(String));
  }
  for (const [field, errors] of Object.entries(body.fieldErrors ?? {})) {
    for (const error of errors) {
      expect(error.code).toMatch(/^\[[A-Za-z]+\]/);
      expect(error.code.slice(error.code.indexOf(']') + 1)).toBe(field);
      expect(error.message).toEqual(expect.any(String));
    }
  }
}

const json = (value: unknown): string => JSON.stringify(value);
const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;
const KB = 1024;

interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `{tenant}` stands for a tenant made for this suite. */
  path: string;
  /** The Authorization header; the manager key unless given, none when null. */
  key?: string | string[] | null;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Sent with a body; application/json unless given. */
  contentType?: string;
  status: 200 | 400 | 401 | 404;
  /** For a 400: every code the body carries, in order. */
  codes?: string[];
}

const ROWS: Row[] = [
  // The body as a whole
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/api/api-key',
    body: '{"apiKey": {"name": ',
    status: 400,
    codes: ['[couldNotParseJSON]'],
  },
  {
    name: 'JSON with a trailing comma',
    method: 'POST',
    path: '/api/tenant',
    body: '{"tenant": {"name": "x"},}',
    status: 400,
    codes: ['[couldNotParseJSON]'],
  },
  {
    name: 'a __proto__ key (prototype poisoning)',
    method: 'POST',
    path: '/api/tenant',
    body: '{"tenant": {"name": "proto"}, "__proto__": {"isAdmin": true}}',
    status: 400,
    codes: ['[couldNotParseJSON]'],
  },
  {
    name: 'a JSON array as the body of an API key create',
    method: 'POST',
    path: '/api/api-key',
    body: '[{"apiKey": {}}]',
    status: 400,
    codes: ['[couldNotParseJSON]'],
  },
  {
    name: 'a JSON string as the body of an API key create',
    method: 'POST',
    path: '/api/api-key',
    body: '"apiKey"',
    status: 400,
    codes: ['[couldNotParseJSON]'],
  },
  {
    name: 'a JSON number as the body of a tenant create',
    method: 'POST',
    path: '/api/tenant',
    body: '42',
    status: 400,
    codes: ['[couldNotParseJSON]'],
  },
  {
    name: 'a JSON array as the body of a tenant update',
    method: 'PUT',
    path: '/api/tenant/{tenant}',
    body: '[]',
    status: 400,
    codes: ['[couldNotParseJSON]'],
  },
  {
    name: 'Content-Type text/plain on POST',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: {} }),
    contentType: 'text/plain',
    status: 400,
    codes: ['[invalidContentType]'],
  },
  {
    name: 'Content-Type text/plain on a tenant create',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { name: unique('text') } }),
    contentType: 'text/plain; charset=utf-8',
    status: 400,
    codes: ['[invalidContentType]'],
  },
  {
    name: 'Content-Type text/plain with no body (the client marks bodiless POSTs so)',
    method: 'POST',
    path: '/api/tenant',
    body: '',
    contentType: 'text/plain',
    status: 400,
    codes: ['[couldNotParseJSON]'],
  },
  {
    name: 'Content-Type application/xml',
    method: 'PUT',
    path: '/api/tenant/{tenant}',
    body: '<tenant><name>x</name></tenant>',
    contentType: 'application/xml',
    status: 400,
    codes: ['[invalidContentType]'],
  },
  {
    name: 'a body over 1 MiB',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { name: unique('big'), data: { blob: 'x'.repeat(1024 * KB + 1) } } }),
    status: 400,
    codes: ['[requestTooLarge]'],
  },

  // Wrong types in an API key
  {
    name: 'apiKey is an array',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: [] }),
    status: 400,
    codes: ['[couldNotConvert]apiKey'],
  },
  {
    name: 'apiKey.name is a number',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { name: 123 } }),
    status: 400,
    codes: ['[couldNotConvert]apiKey.name'],
  },
  {
    name: 'apiKey.permissions is a string',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { permissions: 'x' } }),
    status: 400,
    codes: ['[couldNotConvert]apiKey.permissions'],
  },
  {
    name: 'apiKey.permissions.endpoints lists a method as a string, not an array',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { permissions: { endpoints: { '/api/tenant': 'GET' } } } }),
    status: 400,
    codes: ['[invalid]apiKey.permissions.endpoints'],
  },
  {
    name: 'apiKey.expirationInstant is a word',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { expirationInstant: 'soon' } }),
    status: 400,
    codes: ['[couldNotConvert]apiKey.expirationInstant'],
  },
  {
    name: 'apiKey.expirationInstant is a fraction',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { expirationInstant: 1.5 } }),
    status: 400,
    codes: ['[couldNotConvert]apiKey.expirationInstant'],
  },
  {
    name: 'apiKey.expirationInstant is beyond a long',
    method: 'POST',
    path: '/api/api-key',
    body: '{"apiKey": {"expirationInstant": 1e300}}',
    status: 400,
    codes: ['[couldNotConvert]apiKey.expirationInstant'],
  },
  {
    name: 'apiKey.expirationInstant is negative',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { expirationInstant: -5 } }),
    status: 400,
    codes: ['[invalid]apiKey.expirationInstant'],
  },
  {
    name: 'apiKey.retrievable is "maybe"',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { retrievable: 'maybe' } }),
    status: 400,
    codes: ['[couldNotConvert]apiKey.retrievable'],
  },
  {
    name: 'apiKey.tenantId is not a UUID',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { tenantId: 'nope' } }),
    status: 400,
    codes: ['[couldNotConvert]apiKey.tenantId'],
  },
  {
    name: 'apiKey.metaData.attributes holds a number',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { metaData: { attributes: { level: 1 } } } }),
    status: 400,
    codes: ['[couldNotConvert]apiKey.metaData.attributes'],
  },
  {
    name: 'every API key field wrong at once: all errors reported together',
    method: 'POST',
    path: '/api/api-key',
    body: json({
      apiKey: {
        name: 123,
        tenantId: 'nope',
        permissions: 'x',
        expirationInstant: 'soon',
        retrievable: 'maybe',
      },
    }),
    status: 400,
    codes: [
      '[couldNotConvert]apiKey.name',
      '[couldNotConvert]apiKey.tenantId',
      '[couldNotConvert]apiKey.permissions',
      '[couldNotConvert]apiKey.expirationInstant',
      '[couldNotConvert]apiKey.retrievable',
    ],
  },
  {
    name: 'apiKey.key holds a line break',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { key: 'line\nbreak' } }),
    status: 400,
    codes: ['[invalid]apiKey.key'],
  },
  {
    name: 'apiKey.key begins with an authorization scheme',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { key: 'Bearer abcdefgh' } }),
    status: 400,
    codes: ['[invalid]apiKey.key'],
  },
  {
    name: 'apiKey.name over 191 characters',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { name: 'k'.repeat(192) } }),
    status: 400,
    codes: ['[tooLong]apiKey.name'],
  },
  {
    name: 'sourceKeyId is not a UUID',
    method: 'POST',
    path: '/api/api-key',
    body: json({ sourceKeyId: 'abc', apiKey: {} }),
    status: 400,
    codes: ['[couldNotConvert]sourceKeyId'],
  },

  // Wrong types in a tenant
  {
    name: 'tenant.name is an object',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { name: {} } }),
    status: 400,
    codes: ['[couldNotConvert]tenant.name'],
  },
  {
    name: 'tenant.name is a number on update',
    method: 'PUT',
    path: '/api/tenant/{tenant}',
    body: json({ tenant: { name: 42 } }),
    status: 400,
    codes: ['[couldNotConvert]tenant.name'],
  },
  {
    name: 'tenant is a string',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: 'acme' }),
    status: 400,
    codes: ['[couldNotConvert]tenant'],
  },
  {
    name: 'tenant.name is missing',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { issuer: 'x.example' } }),
    status: 400,
    codes: ['[blank]tenant.name'],
  },
  {
    name: 'tenant.name is removed by a PATCH',
    method: 'PATCH',
    path: '/api/tenant/{tenant}',
    body: json({ tenant: { name: null } }),
    status: 400,
    codes: ['[blank]tenant.name'],
  },
  {
    name: 'tenant.name holds a NUL',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { name: 'bad\u0000name' } }),
    status: 400,
    codes: ['[invalid]tenant.name'],
  },
  {
    name: 'tenant.name holds a line break',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { name: 'two\nlines' } }),
    status: 400,
    codes: ['[invalid]tenant.name'],
  },
  {
    name: 'tenant.name holds a tab',
    method: 'PUT',
    path: '/api/tenant/{tenant}',
    body: json({ tenant: { name: 'tab\tname' } }),
    status: 400,
    codes: ['[invalid]tenant.name'],
  },
  {
    name: 'tenant.name holds DEL',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { name: 'del\u007fname' } }),
    status: 400,
    codes: ['[invalid]tenant.name'],
  },
  {
    name: 'tenant.name over 191 characters',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { name: 't'.repeat(192) } }),
    status: 400,
    codes: ['[tooLong]tenant.name'],
  },
  {
    name: 'tenant.issuer over 255 characters',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { name: unique('issuer'), issuer: 'i'.repeat(256) } }),
    status: 400,
    codes: ['[tooLong]tenant.issuer'],
  },
  {
    name: 'tenant.data is an array',
    method: 'POST',
    path: '/api/tenant',
    body: json({ tenant: { name: unique('data'), data: [] } }),
    status: 400,
    codes: ['[couldNotConvert]tenant.data'],
  },
  {
    name: 'tenant.jwtConfiguration.timeToLiveInSeconds is a word',
    method: 'PATCH',
    path: '/api/tenant/{tenant}',
    body: json({ tenant: { jwtConfiguration: { timeToLiveInSeconds: 'hour' } } }),
    status: 400,
    codes: ['[couldNotConvert]tenant.jwtConfiguration.timeToLiveInSeconds'],
  },
  {
    name: 'tenant.jwtConfiguration.timeToLiveInSeconds is zero',
    method: 'PATCH',
    path: '/api/tenant/{tenant}',
    body: json({ tenant: { jwtConfiguration: { timeToLiveInSeconds: 0 } } }),
    status: 400,
    codes: ['[invalid]tenant.jwtConfiguration.timeToLiveInSeconds'],
  },
  {
    name: 'tenant.jwtConfiguration.refreshTokenUsagePolicy is not a policy',
    method: 'PATCH',
    path: '/api/tenant/{tenant}',
    body: json({ tenant: { jwtConfiguration: { refreshTokenUsagePolicy: 'Sometimes' } } }),
    status: 400,
    codes: ['[invalid]tenant.jwtConfiguration.refreshTokenUsagePolicy'],
  },
  {
    name: 'tenant.jwtConfiguration.accessTokenKeyId is not a UUID',
    method: 'PATCH',
    path: '/api/tenant/{tenant}',
    body: json({ tenant: { jwtConfiguration: { accessTokenKeyId: 'key-1' } } }),
    status: 400,
    codes: ['[couldNotConvert]tenant.jwtConfiguration.accessTokenKeyId'],
  },
  {
    name: 'tenant.loginConfiguration.requireAuthentication is "maybe"',
    method: 'PATCH',
    path: '/api/tenant/{tenant}',
    body: json({ tenant: { loginConfiguration: { requireAuthentication: 'maybe' } } }),
    status: 400,
    codes: ['[couldNotConvert]tenant.loginConfiguration.requireAuthentication'],
  },
  {
    name: 'sourceTenantId is not a UUID',
    method: 'POST',
    path: '/api/tenant',
    body: json({ sourceTenantId: 'abc', tenant: { name: unique('copy') } }),
    status: 400,
    codes: ['[couldNotConvert]sourceTenantId'],
  },
  {
    name: 'a PATCH body that is malformed JSON',
    method: 'PATCH',
    path: '/api/tenant/{tenant}',
    body: '{"tenant": ',
    status: 400,
    codes: ['[couldNotParseJSON]'],
  },

  // Ids in the path and the query
  {
    name: 'an API key id that is not a UUID',
    method: 'GET',
    path: '/api/api-key/xyz',
    status: 400,
    codes: ['[couldNotConvert]keyId'],
  },
  {
    name: 'an API key id that is not a UUID, on update',
    method: 'PUT',
    path: '/api/api-key/xyz',
    body: json({ apiKey: {} }),
    status: 400,
    codes: ['[couldNotConvert]keyId'],
  },
  {
    name: 'a tenant id that is not a UUID, on delete',
    method: 'DELETE',
    path: '/api/tenant/12345',
    status: 400,
    codes: ['[couldNotConvert]tenantId'],
  },
  {
    name: 'a tenant id of UUID length with a non-hex character',
    method: 'GET',
    path: '/api/tenant/3c219e58-ed0e-4b18-ad48-f4f92793ae3g',
    status: 400,
    codes: ['[couldNotConvert]tenantId'],
  },
  {
    name: 'numberOfResults=abc on the API key list',
    method: 'GET',
    path: '/api/api-key?numberOfResults=abc',
    status: 400,
    codes: ['[couldNotConvert]numberOfResults'],
  },
  {
    name: 'startRow=-1 on the API key list',
    method: 'GET',
    path: '/api/api-key?startRow=-1',
    status: 400,
    codes: ['[couldNotConvert]startRow'],
  },
  {
    name: 'numberOfResults=abc on the tenant search',
    method: 'GET',
    path: '/api/tenant/search?numberOfResults=abc',
    status: 400,
    codes: ['[couldNotConvert]numberOfResults'],
  },
  {
    name: 'search is a string in a tenant search body',
    method: 'POST',
    path: '/api/tenant/search',
    body: json({ search: 'acme' }),
    status: 400,
    codes: ['[couldNotConvert]search'],
  },
  {
    name: 'an API key that does not exist',
    method: 'GET',
    path: `/api/api-key/${randomUUID()}`,
    status: 404,
  },
  {
    name: 'a route that does not exist',
    method: 'GET',
    path: '/api/nothing-here',
    status: 404,
  },

  // Headers
  {
    name: 'no Authorization header',
    method: 'GET',
    path: '/api/tenant',
    key: null,
    status: 401,
  },
  {
    name: 'an unknown key',
    method: 'GET',
    path: '/api/api-key',
    key: 'not-a-key-anyone-made',
    status: 401,
  },
  {
    name: 'a Basic Authorization header that is not base64 of apikey:<key>',
    method: 'GET',
    path: '/api/tenant',
    key: 'Basic !!!not-base64!!!',
    status: 401,
  },
  {
    name: 'two Authorization headers',
    method: 'GET',
    path: '/api/tenant',
    key: ['{manager}', '{manager}'],
    status: 401,
  },
  {
    name: 'a 64 KB Authorization header',
    method: 'GET',
    path: '/api/api-key',
    key: 'k'.repeat(64 * KB),
    status: 401,
  },
  {
    name: 'an X-FusionAuth-TenantId header that is not a UUID',
    method: 'GET',
    path: '/api/api-key',
    headers: { 'X-FusionAuth-TenantId': 'tenant-1' },
    status: 400,
    codes: ['[couldNotConvert]X-FusionAuth-TenantId'],
  },
  {
    name: 'a 64 KB X-FusionAuth-TenantId header',
    method: 'GET',
    path: '/api/tenant',
    headers: { 'X-FusionAuth-TenantId': 't'.repeat(64 * KB) },
    status: 400,
    codes: ['[couldNotConvert]X-FusionAuth-TenantId'],
  },
  {
    name: 'two X-FusionAuth-TenantId headers',
    method: 'GET',
    path: '/api/tenant',
    headers: { 'X-FusionAuth-TenantId': ['{tenant}', '{tenant}'] },
    status: 400,
    codes: ['[couldNotConvert]X-FusionAuth-TenantId'],
  },
  {
    name: 'an X-FusionAuth-TenantId header naming no tenant',
    method: 'POST',
    path: '/api/api-key',
    headers: { 'X-FusionAuth-TenantId': randomUUID() },
    body: json({ apiKey: {} }),
    status: 400,
    codes: ['[invalid]X-FusionAuth-TenantId'],
  },
  {
    name: 'a 120 KB header (refused before routing)',
    method: 'GET',
    path: '/api/tenant',
    headers: { 'X-Padding': 'p'.repeat(120 * KB) },
    status: 400,
    codes: ['[requestTooLarge]'],
  },
  {
    name: 'a 120 KB header on a route that does not exist',
    method: 'POST',
    path: '/api/nothing-here',
    key: null,
    headers: { 'X-Padding': 'p'.repeat(120 * KB) },
    body: '{}',
    status: 400,
    codes: ['[requestTooLarge]'],
  },

  // Typed fields a request cannot set are still type-checked, as FusionAuth parses them
  ...(
    [
      ['/api/tenant', 'tenant', { name: unique('typed') }, 'id', 'not-a-uuid'],
      ['/api/tenant', 'tenant', { name: unique('typed') }, 'configured', 'yes'],
      ['/api/api-key', 'apiKey', {}, 'id', 'not-a-uuid'],
      ['/api/api-key', 'apiKey', {}, 'insertInstant', 'yesterday'],
      ['/api/user', 'user', { email: 'typed@x.co', password: 'password1' }, 'tenantId', 'x'],
      ['/api/user', 'user', { email: 'typed@x.co', password: 'password1' }, 'verified', 3],
      ['/api/group', 'group', { name: unique('typed') }, 'lastUpdateInstant', 1.5],
      ['/api/application', 'application', { name: unique('typed') }, 'active', 'maybe'],
      ['/api/ip-acl', 'ipAccessControlList', { name: unique('typed') }, 'id', 42],
    ] as const
  ).map(([path, wrapper, valid, field, value]): Row => ({
    name: `a ${wrapper}.${field} of the wrong type (${JSON.stringify(value)})`,
    method: 'POST',
    path,
    headers:
      path === '/api/tenant' || path === '/api/ip-acl'
        ? {}
        : { 'X-FusionAuth-TenantId': '{tenant}' },
    body: json({
      [wrapper]: {
        ...valid,
        ...(wrapper === 'ipAccessControlList'
          ? { entries: [{ action: 'Allow', startIPAddress: '*' }] }
          : {}),
        [field]: value,
      },
    }),
    status: 400,
    codes: [`[couldNotConvert]${wrapper}.${field}`],
  })),
  {
    name: 'an application whose oauthConfiguration.clientId is not a string',
    method: 'POST',
    path: '/api/application',
    headers: { 'X-FusionAuth-TenantId': '{tenant}' },
    body: json({ application: { name: unique('typed'), oauthConfiguration: { clientId: 7 } } }),
    status: 400,
    codes: ['[couldNotConvert]application.oauthConfiguration.clientId'],
  },

  // References must name something
  ...(['tenant', 'application'] as const).map((wrapper): Row => ({
    name: `a ${wrapper} UI IP ACL that names no list`,
    method: 'POST',
    path: `/api/${wrapper}`,
    headers: wrapper === 'tenant' ? {} : { 'X-FusionAuth-TenantId': '{tenant}' },
    body: json({
      [wrapper]: {
        name: unique('acl'),
        accessControlConfiguration: { uiIPAccessControlListId: randomUUID() },
      },
    }),
    status: 400,
    codes: [`[invalid]${wrapper}.accessControlConfiguration.uiIPAccessControlListId`],
  })),

  // Accepted
  {
    name: 'unknown properties in an API key body (ignored)',
    method: 'POST',
    path: '/api/api-key',
    body: json({ apiKey: { name: unique('extra'), colour: 'blue' }, webhookIds: [] }),
    status: 200,
  },
  {
    name: 'unknown properties in a tenant body (ignored)',
    method: 'POST',
    path: '/api/tenant',
    body: json({
      tenant: { name: unique('extra'), colour: 'blue', jwtConfiguration: { unknown: 1 } },
      webhookIds: [],
    }),
    status: 200,
  },
];

describe.each(dialects())('bad input on %s', (dialect) => {
  let test: TestApp;
  let tenantId: string;

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantId = await createTenant(test);
  });
  afterAll(() => test?.close());

  const fill = (text: string): string =>
    text.replaceAll('{tenant}', tenantId).replaceAll('{manager}', test.managerKey);

  function sentOf(row: Row): Sent {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(row.headers ?? {}))
      headers[name] = Array.isArray(value) ? value.map(fill) : fill(value);
    const key = row.key === undefined ? test.managerKey : row.key;
    if (key !== null) headers.authorization = Array.isArray(key) ? key.map(fill) : key;
    if (row.body !== undefined) headers['content-type'] = row.contentType ?? 'application/json';
    return { method: row.method, path: fill(row.path), headers, body: row.body };
  }

  it.each(ROWS)('$name → $status', async (row) => {
    const answer = await send(test.url, sentOf(row));
    expect(answer.status).toBeLessThan(500);
    expect(answer.body).not.toMatch(/^\s*at /m);
    expect(answer.body).not.toContain('Error:');
    expect(answer.status).toBe(row.status);
    if (row.status === 400) {
      expect(answer.contentType).toMatch(/^application\/json/);
      const body = JSON.parse(answer.body) as ErrorsBody;
      expectErrorsShape(body);
      expect(codesOf(body)).toEqual(row.codes);
    } else if (row.status === 200) {
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(answer.body)).toEqual(expect.any(Object));
    } else {
      expect(answer.contentType).toBeUndefined();
      expect(answer.body).toBe('');
    }
  });

  it.each([
    [
      'an RFC 6902 JSON Patch (not supported)',
      'application/json-patch+json',
      [{ op: 'remove', path: '/apiKey/permissions' }],
      '[invalidContentType]',
    ],
    ['a JSON array', 'application/json', [], '[couldNotParseJSON]'],
    ['a JSON string', 'application/merge-patch+json', 'apiKey', '[couldNotParseJSON]'],
  ])(
    'refuses %s as a PATCH body, leaving the key as it was',
    async (_, contentType, patch, code) => {
      const permissions = { endpoints: { '/api/tenant': ['GET'] } };
      const { id, key } = await createKey(test, { name: unique('patched'), permissions });
      const answer = await send(test.url, {
        method: 'PATCH',
        path: `/api/api-key/${id}`,
        headers: { authorization: test.managerKey, 'content-type': contentType },
        body: json(patch),
      });
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(codesOf(JSON.parse(answer.body) as ErrorsBody)).toEqual([code]);
      const kept = await test.client().retrieveAPIKey(id);
      expect(kept.response.apiKey!.permissions).toEqual(permissions);
      const refused = await failure(
        test.client(key).createTenant(null as unknown as string, {
          tenant: { name: unique('escalated') },
        }),
      );
      expect(refused.statusCode).toBe(401);
    },
  );

  it('ignores unknown properties: the tenant is made from the ones it knows', async () => {
    const name = unique('known');
    const answer = await send(test.url, {
      method: 'POST',
      path: '/api/tenant',
      headers: { authorization: test.managerKey, 'content-type': 'application/json' },
      body: json({ tenant: { name, issuer: 'known.example', favourite: 'x' }, extra: true }),
    });
    expect(answer.status).toBe(200);
    const { tenant } = JSON.parse(answer.body) as { tenant: Record<string, unknown> };
    expect(tenant).toMatchObject({ name, issuer: 'known.example' });
    expect(tenant).not.toHaveProperty('favourite');
  });

  it.each([
    ['emoji', '🔐 Portcullis 🏰'],
    ['an emoji joined by zero-width joiners', '👩\u200d👩\u200d👧 family'],
    ['CJK', '門番テナント 租户 테넌트'],
    ['combining marks and right-to-left text', 'Cafe\u0301 שלום مرحبا'],
    ['characters outside the Basic Multilingual Plane', '𠜎𠜱𠝹𠱓 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'],
  ])('accepts a tenant name with %s and reads it back exactly', async (_, text) => {
    const suffix = randomBytes(3).toString('hex');
    const name = `${text} ${suffix}`;
    const created = await test.client().createTenant(null as unknown as string, {
      tenant: { name },
    });
    expect(created.statusCode).toBe(200);
    expect(created.response.tenant!.name).toBe(name);
    const id = created.response.tenant!.id!;
    expect((await test.client().retrieveTenant(id)).response.tenant!.name).toBe(name);
    const found = await test.client().searchTenants({ search: { name: suffix } });
    expect(found.response.tenants!.map((tenant) => [tenant.id, tenant.name])).toEqual([[id, name]]);
  });

  it('keeps names that differ only in an emoji apart', async () => {
    const stem = unique('team');
    const first = await test
      .client()
      .createTenant(null as unknown as string, { tenant: { name: `${stem} 🍣` } });
    expect(first.statusCode).toBe(200);
    const second = await test
      .client()
      .createTenant(null as unknown as string, { tenant: { name: `${stem} 🍺` } });
    expect(second.statusCode).toBe(200);
    const found = await test.client().searchTenants({ search: { name: `${stem} 🍺` } });
    expect(found.response.tenants!.map((tenant) => tenant.name)).toEqual([`${stem} 🍺`]);
    for (const name of [`${stem} 🍣`, `${stem} 🍺`]) {
      const key = await test.client().createAPIKey(null as unknown as string, { apiKey: { name } });
      expect(key.response.apiKey!.name).toBe(name);
    }
  });

  it('accepts a tenant name of exactly 191 characters', async () => {
    const name = `${randomBytes(4).toString('hex')}${'n'.repeat(183)}`;
    expect(name).toHaveLength(191);
    const created = await test.client().createTenant(null as unknown as string, {
      tenant: { name },
    });
    expect(created.response.tenant!.name).toBe(name);
  });
});

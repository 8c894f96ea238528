import { methodBit } from '../auth/permissions';
import { KickstartError, parseKickstart } from './kickstart.file';

const TENANT = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
const SUPER_KEY = 'super-key-0123456789';
const LIMITED_KEY = 'limited-key-0123456789';
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function parse(document: unknown, env: NodeJS.ProcessEnv = {}) {
  return parseKickstart(JSON.stringify(document), env);
}

function failure(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseKickstart(text, env);
  } catch (error) {
    if (error instanceof KickstartError) return error.message;
    throw error;
  }
  throw new Error('parseKickstart accepted the file');
}

describe('parseKickstart', () => {
  it('reads keys and requests', () => {
    const kickstart = parse({
      apiKeys: [
        { key: SUPER_KEY, description: 'Bootstrap', keyManager: true },
        {
          key: LIMITED_KEY,
          tenantId: TENANT.toUpperCase(),
          permissions: { endpoints: { '/api/user': ['GET', 'post'] } },
        },
      ],
      requests: [
        { method: 'post', url: '/api/tenant', body: { tenant: { name: 'Acme' } } },
        { method: 'GET', url: '/api/user', tenantId: TENANT },
      ],
    });
    expect(kickstart).toEqual({
      apiKeys: [
        {
          key: SUPER_KEY,
          description: 'Bootstrap',
          keyManager: true,
          tenantId: null,
          permissions: null,
        },
        {
          key: LIMITED_KEY,
          description: null,
          keyManager: false,
          tenantId: TENANT,
          permissions: new Map([['/api/user', methodBit('GET') | methodBit('POST')]]),
        },
      ],
      requests: [
        { method: 'POST', url: '/api/tenant', body: { tenant: { name: 'Acme' } }, tenantId: null },
        { method: 'GET', url: '/api/user', body: undefined, tenantId: TENANT },
      ],
    });
  });

  it('reads an empty file as nothing to do', () => {
    expect(parse({})).toEqual({ apiKeys: [], requests: [] });
  });

  it('substitutes #{variables} wherever they appear in a string value', () => {
    const kickstart = parse({
      variables: {
        apiKey: 'k-123-4567-89ab-cdef',
        tenantName: 'Acme',
        greeting: 'Hello #{tenantName}',
        port: 9011,
      },
      apiKeys: [{ key: '#{apiKey}', description: 'for #{tenantName} on #{port}' }],
      requests: [
        {
          method: 'POST',
          url: '/api/tenant',
          body: { tenant: { name: '#{tenantName}', data: { lines: ['#{greeting}!', 7] } } },
        },
      ],
    });
    expect(kickstart.apiKeys[0]?.key).toBe('k-123-4567-89ab-cdef');
    expect(kickstart.apiKeys[0]?.description).toBe('for Acme on 9011');
    expect(kickstart.requests[0]?.body).toEqual({
      tenant: { name: 'Acme', data: { lines: ['Hello Acme!', 7] } },
    });
  });

  it('substitutes #{ENV.NAME} from the environment given', () => {
    const kickstart = parse(
      {
        variables: { fromEnv: '#{ENV.BOOTSTRAP_KEY}' },
        apiKeys: [{ key: '#{fromEnv}', description: '#{ENV.DESCRIPTION}' }],
      },
      { BOOTSTRAP_KEY: 'env-key-0123456789', DESCRIPTION: 'from the environment' },
    );
    expect(kickstart.apiKeys[0]).toMatchObject({
      key: 'env-key-0123456789',
      description: 'from the environment',
    });
  });

  it('makes a fresh id for each #{UUID()}', () => {
    const kickstart = parse({ apiKeys: [{ key: '#{UUID()}' }, { key: '#{UUID()}' }] });
    const [first, second] = kickstart.apiKeys.map((key) => key.key);
    expect(first).toMatch(UUID_PATTERN);
    expect(second).toMatch(UUID_PATTERN);
    expect(first).not.toBe(second);
  });

  it('refuses an unknown variable, naming it', () => {
    expect(failure(JSON.stringify({ apiKeys: [{ key: '#{missing}' }] }))).toBe(
      'kickstart: variable #{missing} is not defined',
    );
  });

  it('refuses a variable used before it is defined', () => {
    const text = JSON.stringify({ variables: { a: '#{b}', b: 'x' } });
    expect(failure(text)).toBe('kickstart: variable #{b} is not defined');
  });

  it('refuses an unset environment variable, naming it', () => {
    const text = JSON.stringify({ apiKeys: [{ key: '#{ENV.NOT_SET}' }] });
    expect(failure(text, { OTHER: 'x' })).toBe(
      'kickstart: environment variable NOT_SET is not set',
    );
  });

  it('refuses text that is not JSON', () => {
    expect(failure('{ "apiKeys": [ ')).toMatch(/^kickstart: not valid JSON \(.+\)$/);
  });

  it.each(['[]', '"text"', 'null'])('refuses %s as the whole file', (text) => {
    expect(failure(text)).toBe('kickstart: the file must hold a JSON object');
  });

  it('refuses apiKeys or requests that are not arrays', () => {
    expect(failure('{"apiKeys": {}}')).toBe('kickstart: apiKeys and requests must be arrays');
    expect(failure('{"requests": "GET"}')).toBe('kickstart: apiKeys and requests must be arrays');
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'key', 'kickstart: apiKeys[0] must be an object'],
    ['without a key', {}, 'kickstart: apiKeys[0].key is required'],
    ['with a blank key', { key: ' ' }, 'kickstart: apiKeys[0].key is required'],
    [
      'with a bad tenant',
      { key: SUPER_KEY, tenantId: 'acme' },
      'kickstart: apiKeys[0].tenantId must be a UUID',
    ],
    [
      'with an unknown permission endpoint',
      { key: SUPER_KEY, permissions: { endpoints: { '/api/bogus': ['GET'] } } },
      'kickstart: apiKeys[0].permissions: endpoint /api/bogus (unknownEndpoint)',
    ],
    [
      'with a method the endpoint does not take',
      { key: SUPER_KEY, permissions: { endpoints: { '/api/key/generate': ['GET'] } } },
      'kickstart: apiKeys[0].permissions: endpoint /api/key/generate (badMethod)',
    ],
    [
      'shorter than 16 characters',
      { key: 'z' },
      'kickstart: apiKeys[0].key: The [apiKey.key] must be at least 16 characters long.',
    ],
    [
      'of 15 characters',
      { key: 'k'.repeat(15) },
      'kickstart: apiKeys[0].key: The [apiKey.key] must be at least 16 characters long.',
    ],
    [
      'with a line break',
      { key: 'line\nbreak-0123456789' },
      'kickstart: apiKeys[0].key: The [apiKey.key] must be printable ASCII without leading or trailing spaces, and may not begin with an authorization scheme (Basic, Bearer, JWT).',
    ],
    [
      'beginning with an authorization scheme',
      { key: 'Bearer 0123456789abcdef' },
      'kickstart: apiKeys[0].key: The [apiKey.key] must be printable ASCII without leading or trailing spaces, and may not begin with an authorization scheme (Basic, Bearer, JWT).',
    ],
    [
      'over 1024 characters',
      { key: 'k'.repeat(1025) },
      'kickstart: apiKeys[0].key: The [apiKey.key] may not be longer than 1024 characters.',
    ],
  ])('refuses a key %s', (_, entry, message) => {
    expect(failure(JSON.stringify({ apiKeys: [entry] }))).toBe(message);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 7, 'kickstart: requests[0] must be an object'],
    [
      'with an unknown method',
      { method: 'HEAD', url: '/api/user' },
      'kickstart: requests[0].method must be one of GET, POST, PUT, PATCH, DELETE',
    ],
    [
      'outside the API',
      { method: 'GET', url: '/admin' },
      'kickstart: requests[0].url must start with /api/',
    ],
    [
      'with a bad tenant',
      { method: 'GET', url: '/api/user', tenantId: 5 },
      'kickstart: requests[0].tenantId must be a UUID',
    ],
  ])('refuses a request %s', (_, entry, message) => {
    expect(failure(JSON.stringify({ apiKeys: [{ key: SUPER_KEY }], requests: [entry] }))).toBe(
      message,
    );
  });

  it('refuses requests without a key to run them with', () => {
    const text = JSON.stringify({ requests: [{ method: 'GET', url: '/api/tenant' }] });
    expect(failure(text)).toBe(
      'kickstart: requests need at least one entry in apiKeys to run with',
    );
  });
});

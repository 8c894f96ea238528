import type { FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Credential, CREDENTIAL_PRECEDENCE, readCredential } from './credentials';
import { CredentialKind, RoutePolicy } from './route-policy.decorator';

function policy(...credentials: CredentialKind[]): RoutePolicy {
  return {
    public: false,
    endpoint: '/api/status',
    globalOnly: true,
    keyManager: false,
    credentials: new Set(credentials),
    optional: false,
    client: null,
    refusalBody: 'empty',
  };
}

const API_KEY_ONLY = policy('apiKey');
const CLIENT_ONLY = policy('client');
const WITH_BASIC = policy('apiKey', 'basicApiKey');

/** A request as Fastify hands it over: Node keeps the first Authorization header only. */
function request(...authorization: string[]): FastifyRequest {
  const rawHeaders = ['Host', 'localhost:9011'];
  for (const value of authorization) rawHeaders.push('Authorization', value);
  const headers = authorization.length === 0 ? {} : { authorization: authorization[0] };
  return { headers, raw: { rawHeaders } } as unknown as FastifyRequest;
}

function basic(userAndPassword: string): string {
  return `Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}`;
}

const NONE: Credential = { kind: 'none' };
const INVALID: Credential = { kind: 'invalid', scheme: 'raw' };
const INVALID_BASIC: Credential = { kind: 'invalid', scheme: 'basic' };

describe('readCredential', () => {
  it('finds nothing without an Authorization header', () => {
    expect(readCredential(request(), API_KEY_ONLY)).toEqual(NONE);
  });

  it('takes the whole header value as a raw API key', () => {
    expect(readCredential(request('bf69486b-4733-4470-a592-f1bfce7af580'), API_KEY_ONLY)).toEqual({
      kind: 'apiKey',
      key: 'bf69486b-4733-4470-a592-f1bfce7af580',
      scheme: 'raw',
    });
  });

  it('reads a Bearer token on a client-credentials route, and nothing else there', () => {
    expect(readCredential(request('Bearer a.b.c'), CLIENT_ONLY)).toEqual({
      kind: 'jwt',
      token: 'a.b.c',
      source: 'header',
    });
    const invalidJwt: Credential = { kind: 'invalid', scheme: 'jwt' };
    expect(readCredential(request('JWT a.b.c'), CLIENT_ONLY)).toEqual(invalidJwt);
    expect(readCredential(request('some-api-key'), CLIENT_ONLY)).toEqual(INVALID);
    expect(readCredential(request(basic('apikey:k')), CLIENT_ONLY)).toEqual(INVALID_BASIC);
  });

  it('refuses an empty header', () => {
    expect(readCredential(request(''), API_KEY_ONLY)).toEqual(INVALID);
  });

  it('refuses two Authorization headers, whatever their case', () => {
    expect(readCredential(request('key-one', 'key-two'), API_KEY_ONLY)).toEqual(INVALID);
    const mixedCase = {
      headers: { authorization: 'key-one' },
      raw: { rawHeaders: ['authorization', 'key-one', 'AUTHORIZATION', 'key-two'] },
    } as unknown as FastifyRequest;
    expect(readCredential(mixedCase, API_KEY_ONLY)).toEqual(INVALID);
  });

  it('does not count headers that merely start with "authorization"', () => {
    const lookalike = {
      headers: { authorization: 'key-one' },
      raw: { rawHeaders: ['Authorization', 'key-one', 'Authorizations', 'x'] },
    } as unknown as FastifyRequest;
    expect(readCredential(lookalike, API_KEY_ONLY)).toEqual({
      kind: 'apiKey',
      key: 'key-one',
      scheme: 'raw',
    });
  });

  it('reads Basic apikey:<key> where the route accepts it', () => {
    expect(readCredential(request(basic('apikey:secret-key')), WITH_BASIC)).toEqual({
      kind: 'apiKey',
      key: 'secret-key',
      scheme: 'basic',
    });
    expect(readCredential(request(basic('apikey:a:b')), WITH_BASIC)).toEqual({
      kind: 'apiKey',
      key: 'a:b',
      scheme: 'basic',
    });
    const lowerCase = `basic ${Buffer.from('apikey:k').toString('base64')}`;
    expect(readCredential(request(lowerCase), WITH_BASIC)).toEqual({
      kind: 'apiKey',
      key: 'k',
      scheme: 'basic',
    });
  });

  it('refuses Basic credentials where the route does not accept them', () => {
    expect(readCredential(request(basic('apikey:secret-key')), API_KEY_ONLY)).toEqual(
      INVALID_BASIC,
    );
  });

  it.each([
    ['another user', basic('admin:secret-key')],
    ['a user differing in case', basic('APIKEY:secret-key')],
    ['no colon', basic('apikey')],
    ['an empty key', basic('apikey:')],
    ['nothing at all', 'Basic '],
  ])('refuses Basic credentials with %s', (_, header) => {
    expect(readCredential(request(header), WITH_BASIC)).toEqual(INVALID_BASIC);
  });
});

describe('the README precedence table', () => {
  it('lists the credential sources in the order the code tries them', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.split('### Credential precedence')[1].split('\n### ')[0];
    const rows = section
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split(' | ')[1]);
    expect(rows).toEqual(CREDENTIAL_PRECEDENCE.map((source) => source.name));
  });
});

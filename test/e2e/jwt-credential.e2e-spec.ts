import { decodeJwt } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import type { RefusalReason } from '../../src/auth/refusal';
import { RefreshTokenService } from '../../src/refresh-token/refresh-token.service';
import { DEFAULT_TENANT_CONFIGURATION } from '../../src/tenant/tenant.dto';
import { dialects, startApp, TestApp } from '../support/app';
import { createUser, uniqueEmail } from '../support/fixtures';
import { rawRequest, RawResponse } from '../support/http';
import { parseMetrics, sample } from '../support/metrics';
import { ForgeryKit, forgeryKit, handBuilt, hmacSigned, JwtPart, segment } from '../support/tokens';

jest.setTimeout(60_000);

type Headers = Record<string, string | string[]>;

/** A token to present, and what else the request carries. */
interface Presented {
  token: string;
  headers?: Headers;
}

interface AttackRow {
  name: string;
  /** A control (200), or refused (401, empty body) for this reason, as the metrics count it. */
  expected: 'accepted' | RefusalReason;
  present: () => Promise<Presented>;
}

interface PrecedenceRow {
  name: string;
  path: () => string;
  headers: () => Promise<Headers>;
  /** 401, or whose user a 200 answers with. */
  expected: 401 | 'self' | 'looked up';
}

const now = () => Math.floor(Date.now() / 1000);

function expectRefused(response: RawResponse): void {
  expect({ status: response.status, body: response.body, type: response.contentType }).toEqual({
    status: 401,
    body: '',
    type: undefined,
  });
}

describe.each(dialects())('user JWT as a credential (%s)', (dialect) => {
  let test: TestApp;
  let kit: ForgeryKit;
  let rsa: ForgeryKit;
  let ec: ForgeryKit;
  let other: ForgeryKit;
  let userId: string;
  let rsaUserId: string;
  let ecUserId: string;
  let otherUserId: string;
  let deletedUserId: string;
  let inactiveUserId: string;
  let lookedUpEmail: string;
  let lookedUpId: string;

  beforeAll(async () => {
    test = await startApp(dialect);
    kit = await forgeryKit(test);
    rsa = await forgeryKit(test, undefined, 'RS256');
    ec = await forgeryKit(test, undefined, 'ES256');
    other = await forgeryKit(test);
    userId = await createUser(test, kit.tenantId);
    rsaUserId = await createUser(test, rsa.tenantId);
    ecUserId = await createUser(test, ec.tenantId);
    otherUserId = await createUser(test, other.tenantId);
    deletedUserId = await createUser(test, kit.tenantId);
    await test.http(`/api/user/${deletedUserId}?hardDelete=true`, { method: 'DELETE' });
    inactiveUserId = await createUser(test, kit.tenantId);
    await test.client(test.managerKey, kit.tenantId).deactivateUser(inactiveUserId);
    lookedUpEmail = uniqueEmail('looked-up');
    lookedUpId = await createUser(test, kit.tenantId, { email: lookedUpEmail });
  });
  afterAll(() => test?.close());

  const get = (path: string, headers: Headers) => rawRequest(test.url, 'GET', path, headers);
  const validate = (headers: Headers) => get('/api/jwt/validate', headers);
  const validateStatus = async (token: string) =>
    (await validate({ authorization: `Bearer ${token}` })).status;

  it('validates a good token sent as Bearer, as JWT and as the access_token cookie', async () => {
    const token = await kit.sign(userId);
    for (const headers of <Headers[]>[
      { authorization: `Bearer ${token}` },
      { authorization: `JWT ${token}` },
      { cookie: `other=1; access_token=${token}` },
    ]) {
      const response = await validate(headers);
      expect(response.status).toBe(200);
      const body = JSON.parse(response.body) as { jwt: Record<string, unknown> };
      expect(body.jwt).toMatchObject({ sub: userId, tid: kit.tenantId, iss: kit.issuer });
    }
    const client = await test.client(null).validateJWT(token);
    expect(client.response.jwt?.sub).toBe(userId);
  });

  it('answers validate with JSON of exactly the token’s claims, the same each time it is asked', async () => {
    const token = await kit.sign(userId);
    const answers: RawResponse[] = [];
    for (let i = 0; i < 3; i++) answers.push(await validate({ authorization: `Bearer ${token}` }));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('application/json; charset=utf-8');
      expect(JSON.parse(answer.body)).toEqual({ jwt: decodeJwt(token) });
      expect(answer.body).toBe(answers[0].body);
    }
    // Another token of the same user answers with its own claims, not a remembered answer.
    const another = await kit.sign(userId, { roles: ['other'] });
    const other = await validate({ authorization: `Bearer ${another}` });
    expect(JSON.parse(other.body)).toEqual({ jwt: decodeJwt(another) });
  });

  it('answers validate the same with verified tokens not remembered', async () => {
    const uncached = await startApp(dialect, { env: { JWT_CACHE_MAX_ENTRIES: '0' } });
    try {
      const own = await forgeryKit(uncached);
      const owner = await createUser(uncached, own.tenantId);
      const token = await own.sign(owner);
      for (let i = 0; i < 2; i++) {
        const answer = await rawRequest(uncached.url, 'GET', '/api/jwt/validate', {
          authorization: `Bearer ${token}`,
        });
        expect(answer.status).toBe(200);
        expect(answer.contentType).toBe('application/json; charset=utf-8');
        expect(JSON.parse(answer.body)).toEqual({ jwt: decodeJwt(token) });
      }
    } finally {
      await uncached.close();
    }
  });

  it('refuses a deactivated user at once, and takes it back when reactivated', async () => {
    const token = await kit.sign(userId);
    expect(await validateStatus(token)).toBe(200);
    await test.client(test.managerKey, kit.tenantId).deactivateUser(userId);
    expect(await validateStatus(token)).toBe(401);
    await test.client(test.managerKey, kit.tenantId).reactivateUser(userId);
    expect(await validateStatus(token)).toBe(200);
  });

  /** A row whose request carries only the token `make` builds. */
  const signed = (
    name: string,
    expected: AttackRow['expected'],
    make: () => Promise<string> | string,
  ): AttackRow => ({ name, expected, present: async () => ({ token: await make() }) });
  /** A token of a new tenant, key and user, accepted. */
  const accepted = async () => {
    const own = await forgeryKit(test);
    const issued = await own.sign(await createUser(test, own.tenantId));
    expect(await validateStatus(issued)).toBe(200);
    return { own, issued };
  };
  /** A session of the user, as a login would start it; its id. */
  const session = async (ownerId: string) => {
    const owner = { userId: ownerId, tenantId: kit.tenantId, applicationId: null };
    const settings = DEFAULT_TENANT_CONFIGURATION.jwtConfiguration;
    return (await test.app.get(RefreshTokenService).issue(owner, settings)).entity.id;
  };
  /** HS256 keyed with a key pair's public key (PEM bytes), naming that key's kid. */
  const confused = (
    what: string,
    victim: () => ForgeryKit,
    owner: () => string,
    trimmed = false,
  ): AttackRow =>
    signed(`HS256 keyed with ${what}`, 'alg_mismatch', () => {
      const pem = victim().publicKeyPem!;
      return hmacSigned(
        { alg: 'HS256', typ: 'JWT', kid: victim().kid },
        victim().claims(owner()),
        Buffer.from(trimmed ? pem.trim() : pem),
      );
    });
  /** A good token beside an X-FusionAuth-TenantId header naming another tenant than its own. */
  const underTenantHeader = (what: string, tenantId: () => string): AttackRow => ({
    name: `an X-FusionAuth-TenantId header naming ${what}`,
    expected: 'tenant_mismatch',
    present: async () => ({
      token: await kit.sign(userId),
      headers: { 'x-fusionauth-tenantid': tenantId() },
    }),
  });
  const header = (over: JwtPart) => ({ alg: 'HS256', typ: 'JWT', kid: kit.kid, ...over });

  const ATTACKS: AttackRow[] = [
    signed('a good HS256 token', 'accepted', () => kit.sign(userId)),
    signed('a good RS256 token', 'accepted', () => rsa.sign(rsaUserId)),
    signed('a good ES256 token', 'accepted', () => ec.sign(ecUserId)),
    signed('a bad signature (another secret)', 'bad_signature', () =>
      hmacSigned(header({}), kit.claims(userId), randomBytes(32)),
    ),
    {
      name: 'a bad signature (another key pair)',
      expected: 'bad_signature',
      present: async () => {
        const stranger = await forgeryKit(test, undefined, 'RS256');
        return { token: stranger.signRaw({ alg: 'RS256', kid: rsa.kid }, rsa.claims(rsaUserId)) };
      },
    },
    {
      name: 'a good signature under changed claims',
      expected: 'bad_signature',
      present: async () => {
        const [head, , signature] = (await kit.sign(userId)).split('.');
        const forged = segment(kit.claims(userId, { roles: ['admin'] }));
        return { token: `${head}.${forged}.${signature}` };
      },
    },
    signed('`alg: none`, unsigned', 'alg_none', () =>
      handBuilt(header({ alg: 'none' }), kit.claims(userId)),
    ),
    signed('`alg: NONE`, unsigned', 'alg_none', () =>
      handBuilt(header({ alg: 'NONE' }), kit.claims(userId)),
    ),
    signed('no `alg` at all', 'alg_none', () =>
      hmacSigned(header({ alg: undefined }), kit.claims(userId), kit.secret),
    ),
    signed('an alg differing from the key (HS384 with the HS256 key)', 'alg_mismatch', () =>
      kit.signRaw(header({ alg: 'HS384' }), kit.claims(userId)),
    ),
    confused(
      'the RSA public key (algorithm confusion)',
      () => rsa,
      () => rsaUserId,
    ),
    confused(
      'the RSA public key without its final newline',
      () => rsa,
      () => rsaUserId,
      true,
    ),
    confused(
      'the EC public key',
      () => ec,
      () => ecUserId,
    ),
    signed('the kid of another HMAC key, signed with this one', 'bad_signature', () =>
      kit.sign(userId, {}, { kid: other.kid }),
    ),
    signed('an unknown kid', 'unknown_kid', () =>
      kit.sign(userId, {}, { kid: `no-such-${randomUUID()}` }),
    ),
    signed('no kid', 'unknown_kid', () => kit.sign(userId, {}, { kid: undefined })),
    signed('a `jku` header', 'key_in_header', () =>
      kit.sign(userId, {}, { jku: 'https://evil.example.com/jwks' }),
    ),
    signed('an `x5u` header', 'key_in_header', () =>
      kit.sign(userId, {}, { x5u: 'https://evil.example.com/cert.pem' }),
    ),
    signed('a `jwk` header', 'key_in_header', () =>
      kit.sign(
        userId,
        {},
        { jwk: { kty: 'oct', k: Buffer.from(kit.secret).toString('base64url') } },
      ),
    ),
    signed('an `x5c` header', 'key_in_header', () =>
      kit.sign(userId, {}, { x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A'] }),
    ),
    signed('an unknown `crit` extension', 'crit', () =>
      kit.sign(userId, {}, { crit: ['exp-ext'], 'exp-ext': true }),
    ),
    signed('expired 2 s ago, within the 5 s clock skew', 'accepted', () =>
      kit.sign(userId, { iat: now() - 60, exp: now() - 2 }),
    ),
    signed('expired 10 s ago, beyond the clock skew', 'expired', () =>
      kit.sign(userId, { iat: now() - 60, exp: now() - 10 }),
    ),
    signed('expired a day ago', 'expired', () =>
      kit.sign(userId, { iat: now() - 90_000, exp: now() - 86_400 }),
    ),
    signed('no `exp`', 'claims', () => kit.sign(userId, { exp: undefined })),
    signed('an `exp` that is a string', 'claims', () =>
      kit.sign(userId, { exp: String(now() + 600) }),
    ),
    signed('`nbf` 2 s ahead, within the clock skew', 'accepted', () =>
      kit.sign(userId, { nbf: now() + 2 }),
    ),
    signed('`nbf` a minute ahead, beyond the clock skew', 'not_yet_valid', () =>
      kit.sign(userId, { nbf: now() + 60 }),
    ),
    signed('`iss` not the tenant issuer', 'wrong_issuer', () =>
      kit.sign(userId, { iss: 'evil.example.com' }),
    ),
    signed('`tid` naming another tenant, signed with that tenant key', 'user_gone', () =>
      other.sign(userId),
    ),
    signed('`tid` naming another tenant, signed with this tenant key', 'user_gone', () =>
      kit.sign(userId, { tid: other.tenantId, iss: other.issuer }),
    ),
    signed('another tenant user under this tenant `tid`', 'user_gone', () => kit.sign(otherUserId)),
    signed('a `tid` that is not a UUID', 'claims', () => kit.sign(userId, { tid: 'default' })),
    signed('a user deleted', 'user_gone', () => kit.sign(deletedUserId)),
    signed('a user deactivated', 'user_gone', () => kit.sign(inactiveUserId)),
    signed('a user that never existed', 'user_gone', () => kit.sign(randomUUID())),
    underTenantHeader('another tenant', () => other.tenantId),
    underTenantHeader('no tenant', () => randomUUID()),
    signed('`sub` not a UUID', 'claims', () => kit.sign('admin')),
    signed('no `sub`', 'claims', () => kit.sign(userId, { sub: undefined })),
    signed('a token of 20 kB', 'malformed', () =>
      kit.sign(userId, { padding: 'x'.repeat(20 * 1024) }),
    ),
    signed('garbage: one word', 'malformed', () => 'garbage'),
    signed('garbage: three dots', 'malformed', () => 'a.b.c'),
    signed('garbage: empty segments', 'malformed', () => '..'),
    signed('garbage: four segments', 'malformed', async () => `${await kit.sign(userId)}.x`),
    signed('garbage: two segments', 'malformed', async () =>
      (await kit.sign(userId)).split('.', 2).join('.'),
    ),
    signed(
      'garbage: a header that is not JSON',
      'malformed',
      () => `${segment('{not json')}.${segment(kit.claims(userId))}.sig`,
    ),
    signed('garbage: a signed payload that is not JSON', 'malformed', () =>
      kit.signRaw(header({}), '{not json'),
    ),
    signed('garbage: a signed payload that is a JSON array', 'malformed', () =>
      kit.signRaw(header({}), '[1,2]'),
    ),
    signed('a client-credentials token (`gty: ["client_credentials"]`)', 'not_a_user_token', () =>
      kit.sign(userId, {}, { gty: ['client_credentials'] }),
    ),
    signed('a `sid` naming no session', 'session_revoked', () =>
      kit.sign(userId, { sid: randomUUID() }),
    ),
    {
      name: 'its signing key deleted (after the tenant moved to another key)',
      expected: 'unknown_kid',
      present: async () => {
        const { own, issued } = await accepted();
        await forgeryKit(test, own.tenantId);
        // Moving the tenant to another key ends no token: the old key still verifies...
        expect(await validateStatus(issued)).toBe(200);
        // ...until it is deleted.
        expect((await test.client().deleteKey(own.keyId)).statusCode).toBe(200);
        return { token: issued };
      },
    },
    {
      name: 'its tenant issuer changed',
      expected: 'wrong_issuer',
      present: async () => {
        const { own, issued } = await accepted();
        const moved = { tenant: { issuer: 'changed.example.com' } };
        expect((await test.client().patchTenant(own.tenantId, moved)).statusCode).toBe(200);
        return { token: issued };
      },
    },
    {
      name: 'its session revoked',
      expected: 'session_revoked',
      present: async () => {
        const sessionId = await session(userId);
        const issued = await kit.sign(userId, { sid: sessionId });
        expect(await validateStatus(issued)).toBe(200);
        const revoked = await test.app
          .get(RefreshTokenService)
          .revoke({ tenantId: kit.tenantId, id: sessionId });
        expect(revoked).toBe(1);
        return { token: issued };
      },
    },
    signed("a `sid` naming another user's session", 'session_revoked', async () =>
      kit.sign(userId, { sid: await session(lookedUpId) }),
    ),
  ];

  const refusals = async (reason: RefusalReason) => {
    const metrics = parseMetrics(await (await test.http('/api/prometheus/metrics')).text());
    return sample(metrics, 'portcullis_auth_decisions_total', {
      kind: 'jwt',
      result: 'refused',
      reason,
    });
  };

  it.each(ATTACKS)('GET /api/jwt/validate: $name → $expected', async ({ expected, present }) => {
    const { token: presented, headers = {} } = await present();
    const before = expected === 'accepted' ? 0 : await refusals(expected);
    for (const carried of <Headers[]>[
      { authorization: `Bearer ${presented}` },
      { cookie: `access_token=${presented}` },
    ]) {
      const response = await validate({ ...headers, ...carried });
      if (expected === 'accepted') {
        const payload = Buffer.from(presented.split('.')[1], 'base64url').toString();
        expect({ status: response.status, body: JSON.parse(response.body) as unknown }).toEqual({
          status: 200,
          body: { jwt: JSON.parse(payload) as JwtPart },
        });
      } else {
        expectRefused(response);
      }
    }
    // Refused for the reason the row is about, not for an incidental flaw of the forgery.
    if (expected !== 'accepted') expect((await refusals(expected)) - before).toBe(2);
  });

  describe('GET /api/user with a JWT: the token user', () => {
    const asKey = async (path: string) =>
      get(path, { authorization: test.managerKey, 'x-fusionauth-tenantid': kit.tenantId });

    it('answers {user} as the User API renders it, by Bearer, JWT or cookie', async () => {
      const expected = JSON.parse((await asKey(`/api/user/${userId}`)).body) as unknown;
      const signed = await kit.sign(userId);
      for (const headers of <Headers[]>[
        { authorization: `Bearer ${signed}` },
        { authorization: `JWT ${signed}` },
        { cookie: `access_token=${signed}` },
        { authorization: `Bearer ${signed}`, 'x-fusionauth-tenantid': kit.tenantId },
      ]) {
        const response = await get('/api/user', headers);
        expect({ status: response.status, body: JSON.parse(response.body) as unknown }).toEqual({
          status: 200,
          body: expected,
        });
      }
    });

    it('ignores a query: ?email=, ?username= or ?loginId= of another user still answers the token user', async () => {
      const signed = await kit.sign(userId);
      for (const query of [
        `?email=${encodeURIComponent(lookedUpEmail)}`,
        `?loginId=${encodeURIComponent(lookedUpEmail)}`,
        '?username=nobody',
      ]) {
        const response = await get(`/api/user${query}`, { authorization: `Bearer ${signed}` });
        expect(response.status).toBe(200);
        expect((JSON.parse(response.body) as { user: { id: string } }).user.id).toBe(userId);
      }
    });

    it('keeps GET /api/user/{id} API-key only, even for the token user own id', async () => {
      const signed = await kit.sign(userId);
      expectRefused(await get(`/api/user/${userId}`, { authorization: `Bearer ${signed}` }));
      expectRefused(await get(`/api/user/${userId}`, { cookie: `access_token=${signed}` }));
    });

    it('answers an API key exactly as before: a lookup, and a 400 without a query', async () => {
      const found = await asKey(`/api/user?email=${encodeURIComponent(lookedUpEmail)}`);
      expect((JSON.parse(found.body) as { user: { id: string } }).user.id).toBe(lookedUpId);
      const missing = await asKey('/api/user');
      expect(missing.status).toBe(400);
    });
  });

  describe('credential precedence', () => {
    let good: string;
    beforeAll(async () => {
      good = await kit.sign(userId);
    });
    const cookie = () => `access_token=${good}`;
    const lookup = () => `/api/user?email=${encodeURIComponent(lookedUpEmail)}`;

    const PRECEDENCE: PrecedenceRow[] = [
      {
        name: 'a valid cookie alone, on a route taking both',
        path: lookup,
        headers: () => Promise.resolve({ cookie: cookie() }),
        expected: 'self',
      },
      {
        name: 'an API key beats a valid cookie',
        path: lookup,
        headers: () =>
          Promise.resolve({
            authorization: test.managerKey,
            'x-fusionauth-tenantid': kit.tenantId,
            cookie: cookie(),
          }),
        expected: 'looked up',
      },
      {
        name: 'an unknown API key never falls back to a valid cookie',
        path: lookup,
        headers: () => Promise.resolve({ authorization: randomUUID(), cookie: cookie() }),
        expected: 401,
      },
      {
        name: 'an empty Authorization header never falls back to a valid cookie',
        path: lookup,
        headers: () => Promise.resolve({ authorization: '', cookie: cookie() }),
        expected: 401,
      },
      {
        name: 'an invalid Bearer never falls back to a valid cookie (User API)',
        path: lookup,
        headers: () => Promise.resolve({ authorization: 'Bearer a.b.c', cookie: cookie() }),
        expected: 401,
      },
      {
        name: 'an invalid Bearer never falls back to a valid cookie (validate)',
        path: () => '/api/jwt/validate',
        headers: () => Promise.resolve({ authorization: 'Bearer a.b.c', cookie: cookie() }),
        expected: 401,
      },
      {
        name: 'an API key at a JWT-only route never falls back to a valid cookie',
        path: () => '/api/jwt/validate',
        headers: () => Promise.resolve({ authorization: test.managerKey, cookie: cookie() }),
        expected: 401,
      },
      {
        name: 'a valid API key at a JWT-only route',
        path: () => '/api/jwt/validate',
        headers: () => Promise.resolve({ authorization: test.managerKey }),
        expected: 401,
      },
      {
        name: 'Basic apikey at a JWT route',
        path: () => '/api/jwt/validate',
        headers: () =>
          Promise.resolve({
            authorization: `Basic ${Buffer.from(`apikey:${test.managerKey}`).toString('base64')}`,
          }),
        expected: 401,
      },
      {
        name: 'a valid JWT (Bearer) at an API-key-only route',
        path: () => '/api/tenant',
        headers: () => Promise.resolve({ authorization: `Bearer ${good}` }),
        expected: 401,
      },
      {
        name: 'a valid JWT (cookie) at an API-key-only route',
        path: () => '/api/tenant',
        headers: () => Promise.resolve({ cookie: cookie() }),
        expected: 401,
      },
      {
        name: 'a valid JWT (Bearer) at GET /api/user/{id}',
        path: () => `/api/user/${userId}`,
        headers: () => Promise.resolve({ authorization: `Bearer ${good}` }),
        expected: 401,
      },
      {
        name: 'two Authorization headers, both the valid Bearer',
        path: () => '/api/jwt/validate',
        headers: () => Promise.resolve({ authorization: [`Bearer ${good}`, `Bearer ${good}`] }),
        expected: 401,
      },
      {
        name: 'two Authorization headers, a valid API key and a valid Bearer',
        path: lookup,
        headers: () => Promise.resolve({ authorization: [test.managerKey, `Bearer ${good}`] }),
        expected: 401,
      },
      {
        name: 'two access_token cookies in one Cookie header',
        path: () => '/api/jwt/validate',
        headers: () => Promise.resolve({ cookie: `${cookie()}; ${cookie()}` }),
        expected: 401,
      },
      {
        name: 'two access_token cookies across two Cookie headers',
        path: () => '/api/jwt/validate',
        headers: () => Promise.resolve({ cookie: [cookie(), cookie()] }),
        expected: 401,
      },
      {
        name: 'two access_token cookies across two Cookie headers (User API)',
        path: lookup,
        headers: () => Promise.resolve({ cookie: [cookie(), `theme=dark; ${cookie()}`] }),
        expected: 401,
      },
      {
        name: 'an empty access_token cookie',
        path: () => '/api/jwt/validate',
        headers: () => Promise.resolve({ cookie: 'access_token=' }),
        expected: 401,
      },
    ];

    it.each(PRECEDENCE)('$name → $expected', async ({ path, headers, expected }) => {
      const response = await get(path(), await headers());
      if (expected === 401) return expectRefused(response);
      expect(response.status).toBe(200);
      const { user } = JSON.parse(response.body) as { user: { id: string } };
      expect(user.id).toBe(expected === 'self' ? userId : lookedUpId);
    });
  });
});

import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { dialects, startApp, TestApp } from '../support/app';
import { createUser } from '../support/fixtures';
import { ForgeryKit, forgeryKit } from '../support/tokens';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token put together by hand, for what jose refuses to make (`alg: none`, `crit`). */
function handmade(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: Uint8Array | string | null,
  hash = 'sha256',
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  if (secret === null) return `${input}.`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

interface Row {
  name: string;
  token: () => string | Promise<string>;
  headers?: () => Record<string, string>;
}

/**
 * Every way a user JWT must be refused, as a table, through real HTTP: each row's token is
 * forged by the test and answered with an empty 401 at GET /api/jwt/validate (which takes a
 * user JWT and nothing else). Control rows show the same shape, made right, is accepted.
 */
describe.each(dialects())('user JWT attack table (%s)', (dialect) => {
  let test: TestApp;
  let kit: ForgeryKit;
  let other: ForgeryKit;
  let userId: string;
  let otherUserId: string;
  let rsaKid: string;
  let rsaPublicPem: string;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    test = await startApp(dialect);
    kit = await forgeryKit(test);
    other = await forgeryKit(test);
    userId = await createUser(test, kit.tenantId);
    otherUserId = await createUser(test, other.tenantId);
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    rsaPublicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const imported = await test.client().importKey(null as unknown as string, {
      key: { name: `rsa-${randomUUID()}`, publicKey: rsaPublicPem },
    });
    rsaKid = imported.response.key!.kid!;
  });
  afterAll(() => test?.close());

  const call = (token: string, headers: Record<string, string> = {}) =>
    test.http('/api/jwt/validate', {
      key: null,
      headers: { authorization: `Bearer ${token}`, ...headers },
    });

  /** The claims the kit signs, for rows made by hand. */
  const claims = (extra: Record<string, unknown> = {}) => ({
    sub: userId,
    iss: kit.issuer,
    tid: kit.tenantId,
    iat: now(),
    exp: now() + 600,
    jti: randomUUID(),
    ...extra,
  });
  const header = (extra: Record<string, unknown> = {}) => ({
    alg: 'HS256',
    typ: 'JWT',
    kid: kit.kid,
    ...extra,
  });

  const accepted: Row[] = [
    { name: 'a good token', token: () => kit.sign(userId) },
    {
      name: 'expired, but within the 5 s clock skew',
      token: () => kit.sign(userId, { exp: now() - 2 }),
    },
    {
      name: 'not yet valid, but within the skew',
      token: () => kit.sign(userId, { nbf: now() + 2 }),
    },
    {
      name: 'a tenant header naming its own tenant',
      token: () => kit.sign(userId),
      headers: () => ({ 'x-fusionauth-tenantid': kit.tenantId }),
    },
  ];

  const refused: Row[] = [
    {
      name: 'a bad signature',
      token: async () => {
        const token = await kit.sign(userId);
        return token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      },
    },
    {
      name: 'signed with another secret',
      token: () => handmade(header(), claims(), 'x'.repeat(32)),
    },
    {
      name: 'alg none, unsigned',
      token: () => handmade(header({ alg: 'none' }), claims(), null),
    },
    {
      name: 'alg NONE, unsigned',
      token: () => handmade(header({ alg: 'NONE' }), claims(), null),
    },
    {
      name: 'alg differing from the key (HS384 over the HS256 key)',
      token: () => handmade(header({ alg: 'HS384' }), claims(), kit.secret, 'sha384'),
    },
    {
      name: 'HS256 over an RSA public key (algorithm confusion)',
      token: () => handmade(header({ kid: rsaKid }), claims(), rsaPublicPem),
    },
    { name: 'an unknown kid', token: () => kit.sign(userId, {}, { kid: 'no-such-kid' }) },
    {
      name: 'no kid',
      token: () => handmade({ alg: 'HS256', typ: 'JWT' }, claims(), kit.secret),
    },
    {
      name: 'a jku header',
      token: () => kit.sign(userId, {}, { jku: 'https://attacker.example/jwks' }),
    },
    {
      name: 'an x5u header',
      token: () => kit.sign(userId, {}, { x5u: 'https://attacker.example/cert' }),
    },
    {
      name: 'a jwk header',
      token: () =>
        kit.sign(
          userId,
          {},
          { jwk: { kty: 'oct', k: 'eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg' } },
        ),
    },
    { name: 'an x5c header', token: () => kit.sign(userId, {}, { x5c: ['MIIB'] }) },
    {
      name: 'an unknown crit extension',
      token: () =>
        handmade(header({ crit: ['urn:example:ext'], 'urn:example:ext': 1 }), claims(), kit.secret),
    },
    { name: 'expired beyond the skew', token: () => kit.sign(userId, { exp: now() - 30 }) },
    { name: 'not yet valid beyond the skew', token: () => kit.sign(userId, { nbf: now() + 60 }) },
    {
      name: 'no exp',
      token: () => handmade(header(), claims({ exp: undefined }), kit.secret),
    },
    {
      name: 'an issuer not the tenant’s',
      token: () => kit.sign(userId, { iss: 'attacker.example' }),
    },
    {
      name: 'tid naming another tenant (this tenant’s key)',
      token: () => kit.sign(userId, { tid: other.tenantId, iss: other.issuer }),
    },
    {
      name: 'tid naming another tenant (that tenant’s key), for this tenant’s user',
      token: () => other.sign(userId),
    },
    {
      name: 'another tenant’s user under this tenant’s tid',
      token: () => kit.sign(otherUserId),
    },
    { name: 'a user that does not exist', token: () => kit.sign(randomUUID()) },
    { name: 'sub not a UUID', token: () => kit.sign('admin') },
    {
      name: 'a tenant header naming another tenant',
      token: () => kit.sign(userId),
      headers: () => ({ 'x-fusionauth-tenantid': other.tenantId }),
    },
    {
      name: 'a client-credentials token at a user route',
      token: () => kit.sign(userId, {}, { gty: ['client_credentials'] }),
    },
    { name: 'a 20 kB token', token: () => kit.sign(userId, { padding: 'x'.repeat(20_000) }) },
    { name: 'garbage', token: () => 'a.b.c' },
    { name: 'one segment', token: () => 'abc' },
    { name: 'four segments', token: async () => `${await kit.sign(userId)}.x` },
    { name: 'a JSON array header', token: () => `${b64([1])}.${b64(claims())}.x` },
  ];

  it.each(accepted)('accepts $name', async ({ token, headers }) => {
    const response = await call(await token(), headers?.());
    expect(response.status).toBe(200);
  });

  it.each(refused)('refuses $name with an empty 401', async ({ token, headers }) => {
    const response = await call(await token(), headers?.());
    expect({ status: response.status, body: await response.text() }).toEqual({
      status: 401,
      body: '',
    });
  });

  it('refuses a deactivated user and a deleted one', async () => {
    const doomed = await createUser(test, kit.tenantId);
    const token = await kit.sign(doomed);
    expect((await call(token)).status).toBe(200);
    const client = test.client(test.managerKey, kit.tenantId);
    await client.deactivateUser(doomed);
    expect((await call(token)).status).toBe(401);
    await client.deleteUser(doomed);
    expect((await call(token)).status).toBe(401);
  });

  it('refuses the tokens of a deleted signing key, and accepts its successor’s', async () => {
    const tenant = await forgeryKit(test);
    const user = await createUser(test, tenant.tenantId);
    const old = await tenant.sign(user);
    expect((await call(old)).status).toBe(200);
    const successor = await forgeryKit(test, tenant.tenantId);
    const refused = await test.client().deleteKey(tenant.keyId);
    expect(refused.statusCode).toBe(200);
    expect((await call(old)).status).toBe(401);
    expect((await call(await successor.sign(user))).status).toBe(200);
  });
});

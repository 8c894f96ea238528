import { SignJWT } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import { describeCluster } from '../support/cluster-gate';
import { Cluster, REDIS_URL, Replica, startCluster, within } from '../support/cluster';
import { TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(180_000);

/** A change's deadline on the other replica: a correctness bound, not a speed claim. */
const DEADLINE_MS = 2_000;
const PASSWORD = 'correct horse battery';

async function json(
  replica: Replica,
  path: string,
  method: string,
  body: unknown,
  tenantId?: string,
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (tenantId !== undefined) headers['x-fusionauth-tenantid'] = tenantId;
  const response = await replica.call(path, { method, headers, body: JSON.stringify(body) });
  if (response.status !== 200)
    throw new Error(
      `${method} ${path} on ${replica.name}: ${response.status} ${await response.text()}`,
    );
  return (await response.json()) as Record<string, Record<string, unknown>>;
}

/** A tenant signing with an HMAC key the test knows, made through replica `a`. */
async function forgeableTenant(a: Replica) {
  const secret = randomBytes(32).toString('base64');
  const key = (
    await json(a, '/api/key/import', 'POST', {
      key: { name: `cluster-${randomUUID()}`, algorithm: 'HS256', secret },
    })
  ).key as { id: string; kid: string };
  const tenant = (
    await json(a, '/api/tenant', 'POST', {
      tenant: { name: `cluster-${randomUUID()}`, jwtConfiguration: { accessTokenKeyId: key.id } },
    })
  ).tenant as { id: string; issuer: string };
  const sign = (userId: string) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: userId, tid: tenant.id, iss: tenant.issuer })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(Buffer.from(secret, 'utf8'));
  };
  return { tenantId: tenant.id, keyId: key.id, sign };
}

async function createUserOn(a: Replica, tenantId: string): Promise<{ id: string; email: string }> {
  const email = `cluster-${randomUUID()}@example.com`;
  const user = (
    await json(a, '/api/user', 'POST', { user: { email, password: PASSWORD } }, tenantId)
  ).user as { id: string };
  return { id: user.id, email };
}

const validate = async (replica: Replica, token: string) =>
  (
    await fetch(`${replica.url}/api/jwt/validate`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).status;

/** Accepted on `replica` now, and refused there within the deadline once `change` is made. */
async function expectEnforced(
  replica: Replica,
  token: string,
  change: () => Promise<void>,
  deadlineMs = DEADLINE_MS,
) {
  expect(await validate(replica, token)).toBe(200);
  await change();
  const took = await within(deadlineMs, async () => (await validate(replica, token)) === 401);
  expect(took).not.toBeNull();
}

describeCluster('user JWTs across replicas', () => {
  let cluster: Cluster;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    cluster = await startCluster({ size: 2, shared: { API_KEY_CACHE_TTL_SECONDS: '60' } });
    [a, b] = cluster.replicas as [Replica, Replica];
  });
  afterAll(() => cluster?.stop());

  it('refuses on B the tokens of a signing key deleted on A', async () => {
    const tenant = await forgeableTenant(a);
    const user = await createUserOn(a, tenant.tenantId);
    const token = await tenant.sign(user.id);
    await expectEnforced(b, token, async () => {
      const successor = (
        await json(a, '/api/key/generate', 'POST', {
          key: { name: `successor-${randomUUID()}`, algorithm: 'HS256' },
        })
      ).key as { id: string };
      await json(a, `/api/tenant/${tenant.tenantId}`, 'PATCH', {
        tenant: { jwtConfiguration: { accessTokenKeyId: successor.id } },
      });
      expect((await a.call(`/api/key/${tenant.keyId}`, { method: 'DELETE' })).status).toBe(200);
    });
  });

  it('refuses on B the tokens of a user deactivated on A', async () => {
    const tenant = await forgeableTenant(a);
    const user = await createUserOn(a, tenant.tenantId);
    await expectEnforced(b, await tenant.sign(user.id), async () => {
      expect((await a.call(`/api/user/${user.id}`, { method: 'DELETE' })).status).toBe(200);
    });
  });

  it('refuses on B a login’s token once its refresh token is revoked on A (logout)', async () => {
    const tenant = await forgeableTenant(a);
    const user = await createUserOn(a, tenant.tenantId);
    const application = (
      await json(
        a,
        '/api/application',
        'POST',
        {
          application: {
            name: `cluster-${randomUUID()}`,
            loginConfiguration: { generateRefreshTokens: true },
          },
        },
        tenant.tenantId,
      )
    ).application as { id: string };
    await json(
      a,
      `/api/user/registration/${user.id}`,
      'POST',
      {
        registration: { applicationId: application.id },
      },
      tenant.tenantId,
    );
    const login = await json(
      a,
      '/api/login',
      'POST',
      {
        loginId: user.email,
        password: PASSWORD,
        applicationId: application.id,
      },
      tenant.tenantId,
    );
    const token = login.token as unknown as string;
    const refreshToken = login.refreshToken as unknown as string;
    expect(typeof refreshToken).toBe('string');
    await expectEnforced(b, token, async () => {
      const out = await fetch(
        `${a.url}/api/logout?refreshToken=${encodeURIComponent(refreshToken)}`,
        { method: 'POST' },
      );
      expect(out.status).toBe(200);
    });
  });
});

describeCluster('user JWTs across replicas when messages are lost', () => {
  it('refuses on B, within the cache TTL, a user deactivated and a signing key deleted while B heard nothing', async () => {
    const url = new URL(REDIS_URL);
    const proxy = new TcpProxy(url.hostname, Number(url.port || 6379));
    const port = await proxy.start();
    const ttlSeconds = 4;
    const cluster = await startCluster({
      size: 2,
      shared: { API_KEY_CACHE_TTL_SECONDS: String(ttlSeconds) },
      env: (index) => (index === 1 ? { REDIS_URL: `redis://127.0.0.1:${port}` } : {}),
    });
    try {
      const [a, b] = cluster.replicas as [Replica, Replica];
      const tenant = await forgeableTenant(a);
      const user = await createUserOn(a, tenant.tenantId);
      const token = await tenant.sign(user.id);
      const keyed = await forgeableTenant(a);
      const keyedToken = await keyed.sign((await createUserOn(a, keyed.tenantId)).id);
      expect(await validate(b, token)).toBe(200);
      expect(await validate(b, keyedToken)).toBe(200);
      await proxy.cut();
      const deactivatedAt = Date.now();
      expect((await a.call(`/api/user/${user.id}`, { method: 'DELETE' })).status).toBe(200);
      const successor = (
        await json(a, '/api/key/generate', 'POST', {
          key: { name: `successor-${randomUUID()}`, algorithm: 'HS256' },
        })
      ).key as { id: string };
      await json(a, `/api/tenant/${keyed.tenantId}`, 'PATCH', {
        tenant: { jwtConfiguration: { accessTokenKeyId: successor.id } },
      });
      expect((await a.call(`/api/key/${keyed.keyId}`, { method: 'DELETE' })).status).toBe(200);
      const took = await within(
        ttlSeconds * 1000 + 1_000,
        async () => (await validate(b, token)) === 401 && (await validate(b, keyedToken)) === 401,
      );
      expect(took).not.toBeNull();
      expect(Date.now() - deactivatedAt).toBeLessThanOrEqual(ttlSeconds * 1000 + 1_000);
    } finally {
      await cluster.stop();
      await proxy.stop();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { describeCluster } from '../support/cluster-gate';
import { Cluster, REDIS_URL, Replica, replicaHost, startCluster, within } from '../support/cluster';
import { requestClientToken, ScimWiring, scimToken, wireScim } from '../support/client-credentials';
import { TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(180_000);

/** A change's deadline on the other replica: a correctness bound, not a speed claim. */
const DEADLINE_MS = 2_000;
const NONE = null as unknown as string;

async function createTenantOn(cluster: Cluster, replica: Replica): Promise<string> {
  const made = await replicaHost(cluster, replica)
    .client()
    .createTenant(NONE, { tenant: { name: `cluster-${randomUUID()}` } });
  return made.response.tenant!.id!;
}

const listUsers = async (replica: Replica, token: string) =>
  (
    await fetch(`${replica.url}/api/scim/resource/v2/Users`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).status;

describeCluster('client-credentials tokens across replicas', () => {
  let cluster: Cluster;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    cluster = await startCluster({ size: 2, shared: { API_KEY_CACHE_TTL_SECONDS: '60' } });
    [a, b] = cluster.replicas as [Replica, Replica];
  });
  afterAll(() => cluster?.stop());

  /** A token issued on A, accepted on B, then refused on B within the deadline once `change` is made on A. */
  async function expectEnforced(change: (wiring: ScimWiring) => Promise<void>) {
    const tenantId = await createTenantOn(cluster, a);
    const wiring = await wireScim(replicaHost(cluster, a), tenantId);
    const token = await scimToken(replicaHost(cluster, a), wiring);
    expect(await listUsers(b, token)).toBe(200);
    await change(wiring);
    const took = await within(DEADLINE_MS, async () => (await listUsers(b, token)) === 401);
    expect(took).not.toBeNull();
  }

  it('refuses on B a token whose grant was revoked on A', async () => {
    await expectEnforced(async (wiring) => {
      await replicaHost(cluster, a)
        .client(undefined, wiring.tenantId)
        .deleteEntityGrant(wiring.server.id, wiring.client.id, NONE);
    });
  });

  it('refuses on B a token whose grant was narrowed on A', async () => {
    await expectEnforced(async (wiring) => {
      await replicaHost(cluster, a)
        .client(undefined, wiring.tenantId)
        .upsertEntityGrant(wiring.server.id, {
          grant: { recipientEntityId: wiring.client.id, permissions: ['scim:group:read'] },
        });
    });
  });

  const tokenStatus = async (replica: Replica, clientId: string, secret: string) =>
    (await requestClientToken(replica.url, clientId, secret)).status;

  it('takes on B, at once, a client created on A with an id B was asked about before', async () => {
    const tenantId = await createTenantOn(cluster, a);
    const wiring = await wireScim(replicaHost(cluster, a), tenantId);
    const clientId = `client-${randomUUID()}`;
    const secret = `secret-${randomUUID()}-${randomUUID()}`;
    expect(await tokenStatus(b, clientId, secret)).toBe(401);
    await replicaHost(cluster, a)
      .client(undefined, tenantId)
      .createEntity(NONE, {
        entity: {
          name: `late-${randomUUID()}`,
          type: { id: wiring.clientTypeId },
          clientId,
          clientSecret: secret,
        },
      });
    const took = await within(
      DEADLINE_MS,
      async () => (await tokenStatus(b, clientId, secret)) === 200,
    );
    expect(took).not.toBeNull();
  });

  it('refuses on B a client secret replaced on A', async () => {
    const tenantId = await createTenantOn(cluster, a);
    const wiring = await wireScim(replicaHost(cluster, a), tenantId);
    const { clientId, clientSecret } = wiring.client;
    expect(await tokenStatus(b, clientId, clientSecret)).toBe(200);
    const entity = (
      await replicaHost(cluster, a).client(undefined, tenantId).retrieveEntity(wiring.client.id)
    ).response.entity!;
    await replicaHost(cluster, a)
      .client(undefined, tenantId)
      .updateEntity(wiring.client.id, {
        entity: { ...entity, clientSecret: `rotated-${randomUUID()}-${randomUUID()}` },
      });
    const took = await within(
      DEADLINE_MS,
      async () => (await tokenStatus(b, clientId, clientSecret)) === 401,
    );
    expect(took).not.toBeNull();
  });

  it('refuses on B a token whose entity was deleted on A', async () => {
    await expectEnforced(async (wiring) => {
      await replicaHost(cluster, a)
        .client(undefined, wiring.tenantId)
        .deleteEntity(wiring.client.id);
    });
  });
});

describeCluster('client-credentials tokens across replicas when messages are lost', () => {
  it('refuses on B, within the cache TTL, a token whose grant was revoked while B heard nothing', async () => {
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
      const tenantId = await createTenantOn(cluster, a);
      const wiring = await wireScim(replicaHost(cluster, a), tenantId);
      const token = await scimToken(replicaHost(cluster, a), wiring);
      expect(await listUsers(b, token)).toBe(200);
      await proxy.cut();
      const revokedAt = Date.now();
      await replicaHost(cluster, a)
        .client(undefined, tenantId)
        .deleteEntityGrant(wiring.server.id, wiring.client.id, NONE);
      const took = await within(
        ttlSeconds * 1000 + 1_000,
        async () => (await listUsers(b, token)) === 401,
      );
      expect(took).not.toBeNull();
      expect(Date.now() - revokedAt).toBeLessThanOrEqual(ttlSeconds * 1000 + 1_000);
    } finally {
      await cluster.stop();
      await proxy.stop();
    }
  });
});

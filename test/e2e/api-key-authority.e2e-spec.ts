import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { ApiKeyService } from '../../src/api-key/api-key.service';
import { covers, parsePermissions } from '../../src/auth/permissions';
import { ENDPOINTS } from '../../src/auth/endpoint-permissions';
import {
  createKey,
  createTenant,
  dialects,
  failure,
  randomKey,
  startApp,
  TestApp,
} from '../support/app';

type Manager = 'super' | 'limited' | 'scopedA';

interface Case {
  name: string;
  manager: Manager;
  apiKey: (tenants: { A: string; B: string }) => object;
  status: 200 | 401;
}

const LIMITED = { '/api/tenant': ['GET', 'PUT'], '/api/system/version': ['GET'] };

/** Create: a manager mints only keys of equal or lesser authority. */
const CREATE_CASES: Case[] = [
  { name: 'a super manager mints a super key', manager: 'super', apiKey: () => ({}), status: 200 },
  {
    name: 'a super manager mints a key for any tenant',
    manager: 'super',
    apiKey: ({ B }) => ({ tenantId: B }),
    status: 200,
  },
  {
    name: 'a limited manager cannot mint a super key',
    manager: 'limited',
    apiKey: () => ({}),
    status: 401,
  },
  {
    name: 'a limited manager mints a subset of its permissions',
    manager: 'limited',
    apiKey: () => ({ permissions: { endpoints: { '/api/tenant': ['GET'] } } }),
    status: 200,
  },
  {
    name: 'a limited manager mints exactly its own permissions',
    manager: 'limited',
    apiKey: () => ({ permissions: { endpoints: LIMITED } }),
    status: 200,
  },
  {
    name: 'a limited manager cannot add a method',
    manager: 'limited',
    apiKey: () => ({ permissions: { endpoints: { '/api/tenant': ['GET', 'DELETE'] } } }),
    status: 401,
  },
  {
    name: 'a limited manager cannot add an endpoint',
    manager: 'limited',
    apiKey: () => ({ permissions: { endpoints: { '/api/tenant/search': ['GET'] } } }),
    status: 401,
  },
  {
    name: 'a scoped manager mints a key for its tenant',
    manager: 'scopedA',
    apiKey: ({ A }) => ({ tenantId: A }),
    status: 200,
  },
  {
    name: "a scoped manager's key defaults to its tenant",
    manager: 'scopedA',
    apiKey: () => ({}),
    status: 200,
  },
  {
    name: 'a scoped manager cannot mint for another tenant',
    manager: 'scopedA',
    apiKey: ({ B }) => ({ tenantId: B }),
    status: 401,
  },
];

describe.each(dialects())('API Key API authority on %s', (dialect) => {
  let test: TestApp;
  let tenants: { A: string; B: string };
  const managers = {} as Record<Manager, string>;

  beforeAll(async () => {
    test = await startApp(dialect);
    tenants = { A: await createTenant(test), B: await createTenant(test) };
    const service = test.app.get(ApiKeyService);
    const make = async (tenantId: string | null, endpoints: object | null) => {
      const key = randomKey();
      const { permissions } = parsePermissions((endpoints ?? {}) as Record<string, unknown>);
      await service.createTrusted({
        key,
        description: null,
        keyManager: true,
        tenantId,
        permissions,
      });
      return key;
    };
    managers.super = test.managerKey;
    managers.limited = await make(null, LIMITED);
    managers.scopedA = await make(tenants.A, null);
  });
  afterAll(() => test?.close());

  it.each(CREATE_CASES)('$name ($status)', async ({ manager, apiKey, status }) => {
    const call = test
      .client(managers[manager])
      .createAPIKey(null as unknown as string, { apiKey: apiKey(tenants) });
    if (status === 200) {
      const created = await call;
      expect(created.statusCode).toBe(200);
      if (manager === 'scopedA') expect(created.response.apiKey!.tenantId).toBe(tenants.A);
    } else {
      const refused = await failure(call);
      expect({ status: refused.statusCode, body: refused.exception }).toEqual({
        status: 401,
        body: undefined,
      });
    }
  });

  it('a limited manager cannot read, widen or delete a more powerful key, and can handle a lesser one', async () => {
    const superKey = await createKey(test, {});
    const lesser = await createKey(test, {
      permissions: { endpoints: { '/api/tenant': ['GET'] } },
    });
    const limited = test.client(managers.limited);
    // One call at a time: a rejection must not go unobserved while another is awaited.
    const calls = [
      () => limited.retrieveAPIKey(superKey.id),
      () => limited.deleteAPIKey(superKey.id),
      () => limited.updateAPIKey(superKey.id, { apiKey: {} }),
    ];
    for (const call of calls) {
      expect((await failure(call() as Promise<never>)).statusCode).toBe(401);
    }
    expect((await limited.retrieveAPIKey(lesser.id)).response.apiKey!.key).toBe(lesser.key);
    const widened = await failure(
      limited.updateAPIKey(lesser.id, {
        apiKey: { permissions: { endpoints: { '/api/tenant': ['GET', 'POST'] } } },
      }),
    );
    expect(widened.statusCode).toBe(401);
    const madeSuper = await failure(limited.updateAPIKey(lesser.id, { apiKey: {} }));
    expect(madeSuper.statusCode).toBe(401);
    expect((await limited.deleteAPIKey(lesser.id)).statusCode).toBe(200);
    expect((await test.client().retrieveAPIKey(superKey.id)).statusCode).toBe(200);
  });

  it("a scoped manager sees only its tenant's keys: another tenant's key is 404, and the list holds only its own", async () => {
    const foreign = await createKey(test, { tenantId: tenants.B });
    const global = await createKey(test, {});
    const scoped = test.client(managers.scopedA);
    expect((await failure(scoped.retrieveAPIKey(foreign.id))).statusCode).toBe(404);
    expect((await failure(scoped.deleteAPIKey(foreign.id))).statusCode).toBe(404);
    expect((await failure(scoped.retrieveAPIKey(global.id))).statusCode).toBe(404);
    const own = await scoped.createAPIKey(null as unknown as string, {
      apiKey: { name: `own-${randomUUID()}` },
    });
    const listed = (await (
      await test.http('/api/api-key?numberOfResults=500', { key: managers.scopedA })
    ).json()) as {
      apiKeys: { id: string; tenantId?: string }[];
    };
    expect(listed.apiKeys.map((key) => key.id)).toContain(own.response.apiKey!.id);
    expect(listed.apiKeys.every((key) => key.tenantId === tenants.A)).toBe(true);
  });

  it('copying a key is bounded by the copier: a key beyond it answers as one that does not exist', async () => {
    const superKey = await createKey(test, {});
    const copy = async (sourceKeyId: string) => {
      const response = await test.http('/api/api-key', {
        key: managers.limited,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sourceKeyId, apiKey: {} }),
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: await response.text(),
      };
    };
    const beyond = await copy(superKey.id);
    const none = await copy(randomUUID());
    expect(beyond).toEqual(none);
    expect({ status: none.status, body: JSON.parse(none.body) as unknown }).toEqual({
      status: 400,
      body: {
        fieldErrors: {
          sourceKeyId: [
            {
              code: '[invalid]sourceKeyId',
              message: 'The [sourceKeyId] names no key that can be copied.',
            },
          ],
        },
      },
    });
    const lesser = await createKey(test, {
      permissions: { endpoints: { '/api/tenant': ['GET'] } },
    });
    const copied = await copy(lesser.id);
    expect(copied.status).toBe(200);
  });

  it('never lets a manager obtain, through the API, a key with more power than its own, nor a chain of managers (property)', async () => {
    const service = test.app.get(ApiKeyService);
    const names = ['/api/tenant', '/api/user', '/api/group', '/api/application'];
    const endpointMap = fc.dictionary(
      fc.constantFrom(...names),
      fc.subarray([...ENDPOINTS['/api/tenant'].methods], { minLength: 1 }),
      { maxKeys: 3 },
    );
    const powers = fc.record({
      endpoints: fc.option(endpointMap, { nil: null }),
      scoped: fc.boolean(),
      manager: fc.boolean(),
    });
    type Powers = { endpoints: Record<string, string[]> | null; scoped: boolean; manager: boolean };
    interface Made {
      key: string;
      tenantId: string | null;
      permissions: ReturnType<typeof parsePermissions>['permissions'];
    }
    /** `holder` asks for `wanted`; the answer must be what the authority rule says. */
    const ask = async (holder: Made, wanted: Powers): Promise<Made | null> => {
      const wantedPermissions = parsePermissions(wanted.endpoints ?? {}).permissions;
      const request = {
        apiKey: {
          permissions: { endpoints: wanted.endpoints ?? {} },
          tenantId: wanted.scoped ? tenants.B : undefined,
          keyManager: wanted.manager,
        },
      };
      const allowed =
        covers(holder.permissions, wantedPermissions) &&
        (holder.tenantId === null || !wanted.scoped || holder.tenantId === tenants.B);
      try {
        const created = (
          await test.client(holder.key).createAPIKey(null as unknown as string, request)
        ).response.apiKey!;
        const createdPermissions = parsePermissions(
          created.permissions?.endpoints ?? {},
        ).permissions;
        expect(allowed).toBe(true);
        expect(created.keyManager).toBe(wanted.manager);
        expect(covers(holder.permissions, createdPermissions)).toBe(true);
        if (holder.tenantId !== null) expect(created.tenantId).toBe(holder.tenantId);
        return wanted.manager
          ? {
              key: created.key!,
              tenantId: created.tenantId ?? null,
              permissions: createdPermissions,
            }
          : null;
      } catch (error) {
        if (!(typeof error === 'object' && error !== null && 'statusCode' in error)) throw error;
        expect({ allowed, status: (error as { statusCode: number }).statusCode }).toEqual({
          allowed: false,
          status: 401,
        });
        return null;
      }
    };
    await fc.assert(
      fc.asyncProperty(powers, powers, powers, async (first, second, third) => {
        const root: Made = {
          key: randomKey(),
          tenantId: first.scoped ? tenants.A : null,
          permissions: parsePermissions(first.endpoints ?? {}).permissions,
        };
        await service.createTrusted({
          key: root.key,
          description: null,
          keyManager: true,
          tenantId: root.tenantId,
          permissions: root.permissions,
        });
        // A chain: a manager the root made makes another key, and so on; every link is
        // held to the rule against the link before it, so no link exceeds the root.
        const made = await ask(root, second);
        if (made === null) return;
        expect(covers(root.permissions, made.permissions)).toBe(true);
        const next = await ask(made, third);
        if (next !== null) expect(covers(root.permissions, next.permissions)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('never lets a manager rotate a key stronger than itself, nor another tenant’s (property)', async () => {
    const service = test.app.get(ApiKeyService);
    const names = ['/api/tenant', '/api/user', '/api/group'];
    const powers = fc.record({
      endpoints: fc.option(
        fc.dictionary(
          fc.constantFrom(...names),
          fc.subarray([...ENDPOINTS['/api/tenant'].methods], { minLength: 1 }),
          { maxKeys: 2 },
        ),
        { nil: null },
      ),
      tenant: fc.constantFrom(null, 'A', 'B'),
    });
    await fc.assert(
      fc.asyncProperty(powers, powers, async (holder, target) => {
        const holderKey = randomKey();
        const holderTenant = holder.tenant === null ? null : tenants[holder.tenant];
        const holderPermissions = parsePermissions(holder.endpoints ?? {}).permissions;
        await service.createTrusted({
          key: holderKey,
          description: null,
          keyManager: true,
          tenantId: holderTenant,
          permissions: holderPermissions,
        });
        const targetTenant = target.tenant === null ? null : tenants[target.tenant];
        const made = (
          await test.client().createAPIKey(null as unknown as string, {
            apiKey: {
              permissions: { endpoints: target.endpoints ?? {} },
              ...(targetTenant === null ? {} : { tenantId: targetTenant }),
            },
          })
        ).response.apiKey!;
        const response = await fetch(`${test.url}/api/api-key/${made.id}/rotate`, {
          method: 'POST',
          headers: { authorization: holderKey },
        });
        const visible = holderTenant === null || targetTenant === holderTenant;
        const stronger = !covers(
          holderPermissions,
          parsePermissions(target.endpoints ?? {}).permissions,
        );
        const expected = !visible ? 404 : stronger ? 401 : 200;
        expect({ holder, target, status: response.status }).toEqual({
          holder,
          target,
          status: expected,
        });
      }),
      { numRuns: 30 },
    );
  });
});

import { randomUUID } from 'node:crypto';
import { ApiKeyService } from '../../src/api-key/api-key.service';
import { ENDPOINTS } from '../../src/auth/endpoint-permissions';
import { createKey, createTenant, dialects, randomKey, startApp, TestApp } from '../support/app';
import { rawRequest, RawResponse } from '../support/http';
import { declaredRoutes } from '../support/routes';
import { SECURED_ROUTES, SecuredRoute } from '../support/secured-routes';

const BODIES: Record<string, string> = {
  '/api/api-key': JSON.stringify({ apiKey: {} }),
  '/api/tenant': JSON.stringify({ tenant: { name: `security-${randomUUID()}` } }),
};

function expectRefused(response: RawResponse): void {
  expect({
    status: response.status,
    body: response.body,
    contentType: response.contentType,
  }).toEqual({
    status: 401,
    body: '',
    contentType: undefined,
  });
}

describe.each(dialects())('the shared security suite on %s', (dialect) => {
  let test: TestApp;
  let tenantA: string;
  let tenantB: string;
  const owned: Record<string, string> = {};
  const keys: Record<string, string> = {};

  function keyFor(route: SecuredRoute, variant: 'exact' | 'otherMethod'): string {
    return keys[`${variant} ${route.method} ${route.path}`];
  }

  function path(route: SecuredRoute, ownerTenant: 'A' | 'B' | 'none' = 'none'): string {
    return route.path.replace(/:[A-Za-z]+/, () =>
      ownerTenant === 'B' && route.owned
        ? owned[route.owned]
        : ownerTenant === 'A' && route.owned === 'tenant'
          ? tenantA
          : randomUUID(),
    );
  }

  function send(
    route: SecuredRoute,
    target: string,
    headers: Record<string, string | string[]>,
    body?: string,
  ) {
    const withBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
    const payload =
      body ??
      (withBody
        ? BODIES[route.path.startsWith('/api/api-key') ? '/api/api-key' : '/api/tenant']
        : undefined);
    return rawRequest(
      test.url,
      route.method,
      target,
      withBody ? { 'content-type': 'application/json', ...headers } : headers,
      payload,
    );
  }

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantA = await createTenant(test);
    tenantB = await createTenant(test);
    owned.tenant = tenantB;
    owned.apiKey = (await createKey(test, { tenantId: tenantB })).id;
    const service = test.app.get(ApiKeyService);
    const trusted = async (spec: { keyManager: boolean; tenantId: string | null }) => {
      const key = randomKey();
      await service.createTrusted({ key, description: null, permissions: null, ...spec });
      return key;
    };
    keys.scopedManager = await trusted({ keyManager: true, tenantId: tenantA });
    keys.scoped = (await createKey(test, { tenantId: tenantA })).key;
    keys.unprivileged = (
      await createKey(test, { permissions: { endpoints: { '/api/system/version': ['GET'] } } })
    ).key;
    keys.superNonManager = (await createKey(test, {})).key;
    const expiredManager = await trusted({ keyManager: true, tenantId: null });
    const expiredId = (
      await test.client().createAPIKey(null as unknown as string, {
        apiKey: { expirationInstant: Date.now() - 1000 },
      })
    ).response.apiKey!;
    keys.expired = expiredId.key!;
    keys.expiredManager = expiredManager;
    const managerRecord = (await (await test.http('/api/api-key?numberOfResults=500')).json()) as {
      apiKeys: { id: string; key: string }[];
    };
    const expiredManagerId = managerRecord.apiKeys.find(
      (entry) => entry.key === expiredManager,
    )!.id;
    await test
      .client()
      .patchAPIKey(expiredManagerId, { apiKey: { expirationInstant: Date.now() - 1000 } });
    for (const route of SECURED_ROUTES.filter((candidate) => candidate.endpoint !== 'keyManager')) {
      const methods = ENDPOINTS[route.endpoint].methods;
      keys[`exact ${route.method} ${route.path}`] = (
        await createKey(test, { permissions: { endpoints: { [route.endpoint]: [route.method] } } })
      ).key;
      const others = methods.filter((method) => method !== route.method);
      keys[`otherMethod ${route.method} ${route.path}`] = (
        await createKey(test, { permissions: { endpoints: { [route.endpoint]: others } } })
      ).key;
    }
  });
  afterAll(() => test?.close());

  it('covers every secured route the app serves, and every route declares a policy', () => {
    const declared = declaredRoutes(test.app);
    expect(declared.filter((route) => route.policy === null)).toEqual([]);
    const secured = declared
      .filter((route) => !route.policy!.public)
      .map((route) => `${route.method} ${route.path}`)
      .sort();
    expect(secured).toEqual(SECURED_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  describe.each(SECURED_ROUTES)('$method $path', (route) => {
    const manager = route.endpoint === 'keyManager';

    it('refuses a request with no credential, before reading its body', async () => {
      expectRefused(await send(route, path(route), {}));
      if (['POST', 'PUT', 'PATCH'].includes(route.method))
        expectRefused(await send(route, path(route), {}, '{not json'));
    });

    it('refuses an unknown key, an empty header and two Authorization headers', async () => {
      expectRefused(await send(route, path(route), { authorization: randomKey() }));
      expectRefused(await send(route, path(route), { authorization: '' }));
      expectRefused(
        await send(route, path(route), { authorization: [test.managerKey, test.managerKey] }),
      );
    });

    it('refuses a key without the endpoint, or with the endpoint but not the method', async () => {
      expectRefused(await send(route, path(route), { authorization: keys.unprivileged }));
      expectRefused(
        await send(route, path(route), {
          authorization: manager ? keys.superNonManager : keyFor(route, 'otherMethod'),
        }),
      );
    });

    it('refuses an expired key', async () => {
      expectRefused(
        await send(route, path(route), {
          authorization: manager ? keys.expiredManager : keys.expired,
        }),
      );
    });

    it('admits a key holding exactly this endpoint and method', async () => {
      const response = await send(route, path(route, 'A'), {
        authorization: manager ? test.managerKey : keyFor(route, 'exact'),
      });
      expect(response.status).not.toBe(401);
      expect(response.status).toBeLessThan(500);
    });

    it('refuses a tenant-scoped key that names another tenant in the header', async () => {
      const scoped = manager ? keys.scopedManager : keys.scoped;
      expectRefused(
        await send(route, path(route), { authorization: scoped, 'x-fusionauth-tenantid': tenantB }),
      );
    });

    if (route.globalOnly) {
      it('is global-only: refuses a tenant-scoped key, and a global key with a tenant header', async () => {
        expectRefused(await send(route, path(route), { authorization: keys.scoped }));
        expectRefused(
          await send(route, path(route), {
            authorization: test.managerKey,
            'x-fusionauth-tenantid': tenantA,
          }),
        );
      });
    }

    if (route.owned) {
      const expected = route.owned === 'tenant' && route.method === 'DELETE' ? 401 : 404;
      it(`answers ${expected} to a tenant-scoped key asking for another tenant's object`, async () => {
        const response = await send(route, path(route, 'B'), {
          authorization: manager ? keys.scopedManager : keys.scoped,
        });
        expect({
          status: response.status,
          body: response.body,
          contentType: response.contentType,
        }).toEqual({
          status: expected,
          body: '',
          contentType: undefined,
        });
      });
    }
  });
});

import { randomUUID } from 'node:crypto';
import { ApiKeyService } from '../../src/api-key/api-key.service';
import { ENDPOINTS } from '../../src/auth/endpoint-permissions';
import { createKey, createTenant, dialects, randomKey, startApp, TestApp } from '../support/app';
import { rawRequest, RawResponse } from '../support/http';
import { declaredRoutes } from '../support/routes';
import { SECURED_ROUTES, SecuredRoute } from '../support/secured-routes';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function expectAnswer(response: RawResponse, status: number): void {
  expect({
    status: response.status,
    body: response.body,
    contentType: response.contentType,
  }).toEqual({
    status,
    body: '',
    contentType: undefined,
  });
}

const expectRefused = (response: RawResponse) => expectAnswer(response, 401);

jest.setTimeout(60_000);

describe.each(dialects())('the shared security suite on %s', (dialect) => {
  let test: TestApp;
  let tenantA: string;
  let tenantB: string;
  const keys: Record<string, string> = {};

  /**
   * The route's path with its `:params` filled, and its body: for an object of the given
   * tenant, or random ids.
   */
  async function target(route: SecuredRoute, owner?: string) {
    const values = owner !== undefined && route.owned ? await route.owned(test, owner) : {};
    const path = route.path.replace(
      /:([A-Za-z]+)/g,
      (_, name: string) => values[name] ?? randomUUID(),
    );
    return { path: `${path}${route.query ?? ''}`, body: route.body?.(values) ?? {} };
  }

  async function send(
    route: SecuredRoute,
    headers: Record<string, string | string[]>,
    options: { owner?: string; body?: string } = {},
  ) {
    const withBody = WITH_BODY.has(route.method);
    const { path, body } = await target(route, options.owner);
    const payload = options.body ?? (withBody ? JSON.stringify(body) : undefined);
    return rawRequest(
      test.url,
      route.method,
      path,
      withBody ? { 'content-type': 'application/json', ...headers } : headers,
      payload,
    );
  }

  const isManagerRoute = (route: SecuredRoute) => route.endpoint === 'keyManager';
  const variantKey = (route: SecuredRoute, variant: string) =>
    keys[`${variant} ${route.method} ${route.path}`];

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantA = await createTenant(test);
    tenantB = await createTenant(test);
    const service = test.app.get(ApiKeyService);
    const trusted = async (tenantId: string | null) => {
      const key = randomKey();
      await service.createTrusted({
        key,
        description: null,
        permissions: null,
        keyManager: true,
        tenantId,
      });
      return key;
    };
    keys.scopedManager = await trusted(tenantA);
    keys.scoped = (await createKey(test, { tenantId: tenantA })).key;
    // A key for an endpoint Portcullis does not serve: it opens nothing.
    keys.unprivileged = (
      await createKey(test, {
        permissions: { endpoints: { '/api/user/bulk': ['DELETE'] } },
      })
    ).key;
    keys.superNonManager = (await createKey(test, {})).key;
    keys.expired = (await createKey(test, { expirationInstant: Date.now() - 1000 })).key;
    // An expired manager: a manager key, then expired through the API by the main manager.
    keys.expiredManager = await trusted(null);
    const listed = (await (await test.http('/api/api-key?numberOfResults=500')).json()) as {
      apiKeys: { id: string; key: string }[];
    };
    const expiredManagerId = listed.apiKeys.find((entry) => entry.key === keys.expiredManager)!.id;
    await test
      .client()
      .patchAPIKey(expiredManagerId, { apiKey: { expirationInstant: Date.now() - 1000 } });
    for (const route of SECURED_ROUTES.filter((candidate) => !isManagerRoute(candidate))) {
      const others = ENDPOINTS[route.endpoint].methods.filter((method) => method !== route.method);
      keys[`exact ${route.method} ${route.path}`] = (
        await createKey(test, { permissions: { endpoints: { [route.endpoint]: [route.method] } } })
      ).key;
      if (others.length > 0) {
        keys[`otherMethod ${route.method} ${route.path}`] = (
          await createKey(test, { permissions: { endpoints: { [route.endpoint]: others } } })
        ).key;
      }
    }
  });
  afterAll(() => test?.close());

  it('covers every secured route the app serves, and every route declares a policy', () => {
    const declared = declaredRoutes(test.app);
    expect(declared.filter((route) => route.policy === null)).toEqual([]);
    const secured = declared
      // Routes that take only a user JWT have their own suite (jwt-credential).
      .filter((route) => !route.policy!.public && route.policy!.credentials.has('apiKey'))
      .map((route) => `${route.method} ${route.path}`)
      .sort();
    expect(secured).toEqual(SECURED_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  describe.each(SECURED_ROUTES)('$method $path', (route) => {
    if (route.optional) {
      const expected = route.anonymous ?? { status: 200, body: { status: 'ok' } };
      it(`answers a request with no credential (${expected.status})`, async () => {
        const anonymous = await send(route, {});
        expect({
          status: anonymous.status,
          body: anonymous.body === '' ? undefined : (JSON.parse(anonymous.body) as unknown),
        }).toEqual(expected);
      });
    } else {
      it('refuses a request with no credential, before reading its body', async () => {
        expectRefused(await send(route, {}));
        if (WITH_BODY.has(route.method))
          expectRefused(await send(route, {}, { body: '{not json' }));
      });
    }

    it('refuses an unknown key, an empty header and two Authorization headers', async () => {
      expectRefused(await send(route, { authorization: randomKey() }));
      expectRefused(await send(route, { authorization: '' }));
      expectRefused(await send(route, { authorization: [test.managerKey, test.managerKey] }));
    });

    it('refuses a key without the endpoint, or with the endpoint but not the method', async () => {
      expectRefused(await send(route, { authorization: keys.unprivileged }));
      const otherMethod = isManagerRoute(route)
        ? keys.superNonManager
        : variantKey(route, 'otherMethod');
      if (otherMethod !== undefined)
        expectRefused(await send(route, { authorization: otherMethod }));
    });

    it('refuses an expired key', async () => {
      expectRefused(
        await send(route, {
          authorization: isManagerRoute(route) ? keys.expiredManager : keys.expired,
        }),
      );
    });

    it('admits a key holding exactly this endpoint and method', async () => {
      const key = isManagerRoute(route) ? test.managerKey : variantKey(route, 'exact');
      const response = await send(
        route,
        { authorization: key, 'x-fusionauth-tenantid': route.globalOnly ? [] : tenantA },
        { owner: tenantA },
      );
      expect(response.status).not.toBe(401);
      expect(response.status).toBeLessThan(500);
    });

    it('refuses a tenant-scoped key that names another tenant in the header', async () => {
      const scoped = isManagerRoute(route) ? keys.scopedManager : keys.scoped;
      expectRefused(await send(route, { authorization: scoped, 'x-fusionauth-tenantid': tenantB }));
    });

    if (route.globalOnly) {
      it('is global-only: refuses a tenant-scoped key, and a global key with a tenant header', async () => {
        expectRefused(await send(route, { authorization: keys.scoped }));
        expectRefused(
          await send(route, { authorization: test.managerKey, 'x-fusionauth-tenantid': tenantA }),
        );
      });
    }

    if (route.owned) {
      const expected = route.foreignStatus ?? 404;
      it(`answers ${expected} to a tenant-scoped key asking for another tenant's object`, async () => {
        const scoped = isManagerRoute(route) ? keys.scopedManager : keys.scoped;
        expectAnswer(await send(route, { authorization: scoped }, { owner: tenantB }), expected);
      });
    }
  });
});

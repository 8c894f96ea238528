import { randomUUID } from 'node:crypto';
import { createKey, createTenant, dialects, startApp, TestApp } from '../support/app';
import { SCIM_PERMISSIONS, ScimWiring, scimToken, wireScim } from '../support/client-credentials';
import { createUser, PASSWORD, uniqueEmail } from '../support/fixtures';
import { rawRequest, RawResponse } from '../support/http';
import { declaredRoutes } from '../support/routes';

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** FusionAuth's SCIM permission for a method on a resource: read, create, update, delete. */
function permissionFor(method: string, path: string): string {
  const resource = /\/Groups/.test(path) ? 'group' : 'user';
  const verb: Record<string, string> = {
    GET: 'read',
    POST: 'create',
    PUT: 'update',
    PATCH: 'update',
    DELETE: 'delete',
  };
  return `scim:${resource}:${verb[method]}`;
}

function expectScimRefusal(response: RawResponse): void {
  expect({
    status: response.status,
    body: JSON.parse(response.body || 'null') as unknown,
  }).toEqual({
    status: 401,
    body: { schemas: [SCIM_ERROR], status: '401', detail: expect.any(String) as string },
  });
}

/**
 * The shared security cases for every route that takes a client-credentials token: it
 * names the permission FusionAuth names for it, and refuses (401, SCIM body) no
 * credential, an API key, a user JWT, and a token holding every SCIM permission but its
 * own; a token holding only its own passes.
 */
describe.each(dialects())('every route that takes a client-credentials token (%s)', (dialect) => {
  let test: TestApp;
  let tenantId: string;
  let wiring: ScimWiring;
  let apiKey: string;
  let userJwt: string;
  const routes = () =>
    declaredRoutes(test.app).filter(
      (route) => route.policy !== null && route.policy.client !== null,
    );

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantId = await createTenant(test);
    wiring = await wireScim(test, tenantId);
    apiKey = (await createKey(test, {}, tenantId)).key;
    const email = uniqueEmail('client-routes');
    await createUser(test, tenantId, { email, password: PASSWORD });
    userJwt = (await test.client(undefined, tenantId).login({ loginId: email, password: PASSWORD }))
      .response.token!;
  });
  afterAll(() => test?.close());

  it('covers the SCIM routes, each naming FusionAuth’s permission for it', () => {
    const declared = routes();
    expect(declared.length).toBeGreaterThanOrEqual(10);
    for (const route of declared) {
      expect(route.path.startsWith('/api/scim/resource/v2/')).toBe(true);
      expect({
        route: `${route.method} ${route.path}`,
        permission: route.policy!.client!.permission,
      }).toEqual({
        route: `${route.method} ${route.path}`,
        permission: permissionFor(route.method, route.path),
      });
      expect(route.policy!.credentials).toEqual(new Set(['client']));
      expect(route.policy!.refusalBody).toBe('scim');
    }
  });

  it('refuses every improper credential, and lets the route’s own permission through', async () => {
    for (const route of routes()) {
      const path = route.path.replace(/:[A-Za-z]+/g, randomUUID());
      const permission = route.policy!.client!.permission;
      const others = SCIM_PERMISSIONS.filter((name) => name !== permission);
      const send = (headers: Record<string, string>) =>
        rawRequest(
          test.url,
          route.method,
          path,
          route.method === 'GET' || route.method === 'DELETE'
            ? headers
            : { ...headers, 'content-type': 'application/scim+json' },
          route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}',
        );
      const label = `${route.method} ${route.path}`;
      for (const [name, headers] of [
        ['no credential', {}],
        ['an API key', { authorization: apiKey }],
        ['the manager key', { authorization: test.managerKey }],
        ['a user JWT', { authorization: `Bearer ${userJwt}` }],
        ['a user JWT cookie', { cookie: `access_token=${userJwt}` }],
        [
          'a token without the permission',
          { authorization: `Bearer ${await scimToken(test, wiring, others)}` },
        ],
      ] as const) {
        const response = await send(headers);
        expect({ label, name, status: response.status }).toEqual({ label, name, status: 401 });
        expectScimRefusal(response);
      }
      const own = await send({
        authorization: `Bearer ${await scimToken(test, wiring, [permission])}`,
      });
      expect({ label, status: own.status === 401 }).toEqual({ label, status: false });
    }
  });
});

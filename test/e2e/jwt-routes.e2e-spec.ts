import { randomUUID } from 'node:crypto';
import { dialects, startApp, TestApp } from '../support/app';
import { createUser } from '../support/fixtures';
import { rawRequest } from '../support/http';
import { declaredRoutes } from '../support/routes';
import { ForgeryKit, forgeryKit } from '../support/tokens';

/** Every route that takes a user JWT, with a path and body that reach its handler. */
const JWT_ROUTES: { method: string; path: string; route: string }[] = [
  { method: 'GET', path: '/api/jwt/validate', route: '/api/jwt/validate' },
  { method: 'GET', path: `/api/jwt/issue?applicationId=${randomUUID()}`, route: '/api/jwt/issue' },
  { method: 'GET', path: '/api/user', route: '/api/user' },
  { method: 'POST', path: '/api/user/change-password', route: '/api/user/change-password' },
  {
    method: 'DELETE',
    path: `/api/jwt/refresh/${randomUUID()}`,
    route: '/api/jwt/refresh/:tokenId',
  },
  { method: 'DELETE', path: '/api/jwt/refresh?token=x', route: '/api/jwt/refresh' },
];

/**
 * The shared refusal cases for user JWTs, on every route that takes one: no credential, a
 * malformed token, an expired one, one of a deactivated user, one naming another tenant in
 * the header, and two tokens. Each is an empty 401 before the handler runs.
 */
describe.each(dialects())('every route that takes a user JWT (%s)', (dialect) => {
  let test: TestApp;
  let kit: ForgeryKit;
  let userId: string;
  let inactiveId: string;
  let otherTenant: string;

  beforeAll(async () => {
    test = await startApp(dialect);
    kit = await forgeryKit(test);
    userId = await createUser(test, kit.tenantId);
    inactiveId = await createUser(test, kit.tenantId);
    await test.client(test.managerKey, kit.tenantId).deactivateUser(inactiveId);
    otherTenant = (await forgeryKit(test)).tenantId;
  });
  afterAll(() => test?.close());

  it('lists every route whose policy takes a user JWT', () => {
    const declared = declaredRoutes(test.app)
      .filter((route) => route.policy?.credentials.has('jwt'))
      .map((route) => `${route.method} ${route.path}`)
      .sort();
    expect(declared).toEqual(JWT_ROUTES.map(({ method, route }) => `${method} ${route}`).sort());
  });

  const cases: {
    name: string;
    headers: () => Promise<Record<string, string | string[]>> | Record<string, string>;
  }[] = [
    { name: 'a malformed token', headers: () => ({ authorization: 'Bearer not.a.token' }) },
    {
      name: 'an expired token',
      headers: async () => ({ authorization: `Bearer ${await kit.sign(userId, { exp: 1 })}` }),
    },
    {
      name: 'a deactivated user’s token',
      headers: async () => ({ authorization: `Bearer ${await kit.sign(inactiveId)}` }),
    },
    {
      name: 'a token with a header naming another tenant',
      headers: async () => ({
        authorization: `Bearer ${await kit.sign(userId)}`,
        'x-fusionauth-tenantid': otherTenant,
      }),
    },
    {
      name: 'two tokens',
      headers: async () => {
        const token = await kit.sign(userId);
        return { authorization: [`Bearer ${token}`, `Bearer ${token}`] };
      },
    },
    {
      name: 'a bad cookie token',
      headers: async () => ({ cookie: `access_token=${await kit.sign(userId, { iss: 'x' })}` }),
    },
  ];

  describe.each(JWT_ROUTES)('$method $route', ({ method, path }) => {
    it('refuses a request with no credential', async () => {
      const response = await rawRequest(test.url, method, path, {});
      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: '' });
    });

    it.each(cases)('refuses $name with an empty 401', async ({ headers }) => {
      const response = await rawRequest(test.url, method, path, await headers());
      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: '' });
    });
  });
});

import { createKey, dialects, startApp, TestApp } from '../support/app';
import { createUser, uniqueEmail } from '../support/fixtures';
import { rawRequest } from '../support/http';
import { ForgeryKit, forgeryKit } from '../support/tokens';

interface Case {
  name: string;
  path: string;
  headers: () => Record<string, string | string[]>;
  /** The status, and for a 200 whose user it is. */
  expect: { status: number; user?: () => string };
}

/**
 * The README's "Credential precedence", through real HTTP on a route that takes both an API
 * key and a user JWT (`GET /api/user`), one that takes only API keys (`GET /api/tenant`) and
 * one that takes only user JWTs (`GET /api/jwt/validate`).
 */
describe.each(dialects())('credential precedence (%s)', (dialect) => {
  let test: TestApp;
  let kit: ForgeryKit;
  let cookieUser: string;
  let keyUser: string;
  let keyUserEmail: string;
  let token: string;
  let userKey: string;

  beforeAll(async () => {
    test = await startApp(dialect);
    kit = await forgeryKit(test);
    cookieUser = await createUser(test, kit.tenantId);
    keyUserEmail = uniqueEmail('key');
    keyUser = await createUser(test, kit.tenantId, { email: keyUserEmail });
    token = await kit.sign(cookieUser);
    userKey = (
      await createKey(test, { permissions: { endpoints: { '/api/user': ['GET'] } } }, kit.tenantId)
    ).key;
  });
  afterAll(() => test?.close());

  const byEmail = () => `/api/user?email=${encodeURIComponent(keyUserEmail)}`;
  const cases: Case[] = [
    {
      name: 'an API key beats a valid access_token cookie',
      path: '',
      headers: () => ({ authorization: userKey, cookie: `access_token=${token}` }),
      expect: { status: 200, user: () => keyUser },
    },
    {
      name: 'a valid access_token cookie alone is the user',
      path: '/api/user',
      headers: () => ({ cookie: `access_token=${token}` }),
      expect: { status: 200, user: () => cookieUser },
    },
    {
      name: 'a Bearer JWT is the user',
      path: '/api/user',
      headers: () => ({ authorization: `Bearer ${token}` }),
      expect: { status: 200, user: () => cookieUser },
    },
    {
      name: 'an invalid Authorization header never falls back to a valid cookie',
      path: '/api/user',
      headers: () => ({ authorization: 'not-a-key', cookie: `access_token=${token}` }),
      expect: { status: 401 },
    },
    {
      name: 'an invalid Bearer token never falls back to a valid cookie',
      path: '/api/user',
      headers: () => ({ authorization: 'Bearer x.y.z', cookie: `access_token=${token}` }),
      expect: { status: 401 },
    },
    {
      name: 'a JWT on an API-key-only route',
      path: '/api/tenant',
      headers: () => ({ authorization: `Bearer ${token}` }),
      expect: { status: 401 },
    },
    {
      name: 'a cookie on an API-key-only route',
      path: '/api/tenant',
      headers: () => ({ cookie: `access_token=${token}` }),
      expect: { status: 401 },
    },
    {
      name: 'an API key on a JWT-only route',
      path: '/api/jwt/validate',
      headers: () => ({ authorization: test.managerKey }),
      expect: { status: 401 },
    },
    {
      name: 'Basic on a JWT route',
      path: '/api/user',
      headers: () => ({
        authorization: `Basic ${Buffer.from(`apikey:${userKey}`).toString('base64')}`,
      }),
      expect: { status: 401 },
    },
    {
      name: 'two Authorization headers, both the same valid JWT',
      path: '/api/user',
      headers: () => ({ authorization: [`Bearer ${token}`, `Bearer ${token}`] }),
      expect: { status: 401 },
    },
    {
      name: 'two access_token cookies in one Cookie header',
      path: '/api/user',
      headers: () => ({ cookie: `access_token=${token}; access_token=${token}` }),
      expect: { status: 401 },
    },
    {
      name: 'two access_token cookies in two Cookie headers',
      path: '/api/user',
      headers: () => ({ cookie: [`access_token=${token}`, `access_token=${token}`] }),
      expect: { status: 401 },
    },
    {
      name: 'an empty access_token cookie',
      path: '/api/user',
      headers: () => ({ cookie: 'access_token=' }),
      expect: { status: 401 },
    },
    {
      name: 'a JWT with a lookup query of another user is still its own user',
      path: '',
      headers: () => ({ authorization: `Bearer ${token}` }),
      expect: { status: 200, user: () => cookieUser },
    },
  ];

  it.each(cases)('$name', async ({ path, headers, expect: expected }) => {
    const response = await rawRequest(test.url, 'GET', path === '' ? byEmail() : path, headers());
    expect(response.status).toBe(expected.status);
    if (expected.user === undefined) {
      expect(response.body).toBe('');
      return;
    }
    const body = JSON.parse(response.body) as { user: { id: string } };
    expect(body.user.id).toBe(expected.user());
  });
});

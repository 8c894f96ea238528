import { LoginRequest } from '@fusionauth/typescript-client';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { LoginFailures } from '../../src/login/login.failures';
import { PasswordHasher } from '../../src/password/password.hasher';
import { RefreshTokenService } from '../../src/refresh-token/refresh-token.service';
import {
  createKey,
  createTenant,
  dialects,
  failure,
  refusalCodes,
  startApp,
  TestApp,
} from '../support/app';
import { createUser, PASSWORD, uniqueEmail, uniqueName } from '../support/fixtures';
import { rawRequest } from '../support/http';

const NONE = null as unknown as string;

jest.setTimeout(120_000);

interface Claims {
  sub: string;
  aud?: string;
  applicationId?: string;
  roles?: string[];
  sid?: string;
  tid: string;
  authenticationType: string;
}

describe.each(dialects())('the Login API on %s', (dialect) => {
  let test: TestApp;
  let tenantId: string;
  /** Registered, refresh tokens on, API key required (FusionAuth's default). */
  let appRefresh: string;
  /** Registered, no refresh tokens, and no API key required. */
  let appOpen: string;
  let email: string;
  let userId: string;
  let verify: jest.SpyInstance;

  async function createApp(loginConfiguration: object, tenant = tenantId): Promise<string> {
    const created = await test.client(test.managerKey, tenant).createApplication(NONE, {
      application: {
        name: uniqueName('login-app'),
        roles: [{ name: 'admin' }],
        loginConfiguration,
      },
    });
    return created.response.application!.id!;
  }

  const client = (key: string | null = test.managerKey, tenant = tenantId) =>
    test.client(key, tenant);

  /** Raw POST /api/login; the tenant header unless `tenant` is null. */
  function post(
    body: unknown,
    {
      key = test.managerKey,
      tenant = tenantId,
    }: { key?: string | null; tenant?: string | null } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (tenant !== null) headers['x-fusionauth-tenantid'] = tenant;
    return test.http('/api/login', {
      method: 'POST',
      key,
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  const validate = (headers: Record<string, string>) =>
    test.http('/api/jwt/validate', { key: null, headers });

  async function claimsOf(token: string): Promise<Claims> {
    const response = await validate({ authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    return ((await response.json()) as { jwt: Claims }).jwt;
  }

  /** How many argon2 verifications `work` caused. */
  async function verifications(work: () => Promise<unknown>): Promise<number> {
    const before = verify.mock.calls.length;
    await work();
    return verify.mock.calls.length - before;
  }

  async function expectEmpty(response: Response, status: number): Promise<void> {
    expect({
      status: response.status,
      body: await response.text(),
      contentType: response.headers.get('content-type'),
    }).toEqual({ status, body: '', contentType: null });
  }

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantId = await createTenant(test);
    appRefresh = await createApp({ generateRefreshTokens: true });
    appOpen = await createApp({ requireAuthentication: false });
    email = uniqueEmail('login');
    userId = await createUser(test, tenantId, { email, username: uniqueName('login') });
    for (const applicationId of [appRefresh, appOpen])
      await client().register(userId, { registration: { applicationId, roles: ['admin'] } });
    verify = jest.spyOn(test.app.get(PasswordHasher), 'verify');
  });
  afterAll(async () => {
    verify?.mockRestore();
    await test?.close();
  });

  describe('POST /api/login', () => {
    it('logs in a registered user: token, refresh token, the user as the User API shows it, cookies', async () => {
      const before = Date.now();
      const response = await post({
        loginId: email,
        password: PASSWORD,
        applicationId: appRefresh,
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown> & {
        token: string;
        refreshToken: string;
        refreshTokenId: string;
        user: { lastLoginInstant: number; registrations: { lastLoginInstant?: number }[] };
      };
      test.watch.add(body.token);
      test.watch.add(body.refreshToken);
      expect(Object.keys(body).sort()).toEqual(
        ['refreshToken', 'refreshTokenId', 'token', 'tokenExpirationInstant', 'user'].sort(),
      );
      expect(body.tokenExpirationInstant).toBeGreaterThan(before + 3_500_000);
      const retrieved = await client().retrieveUser(userId);
      expect(body.user).toEqual(JSON.parse(JSON.stringify(retrieved.response.user)));
      expect(body.user.lastLoginInstant).toBeGreaterThanOrEqual(before);
      const registration = retrieved.response.user!.registrations!.find(
        (entry) => entry.applicationId === appRefresh,
      )!;
      expect(registration.lastLoginInstant).toBe(body.user.lastLoginInstant);

      const claims = await claimsOf(body.token);
      expect(claims).toMatchObject({
        sub: userId,
        aud: appRefresh,
        applicationId: appRefresh,
        roles: ['admin'],
        sid: body.refreshTokenId,
        tid: tenantId,
        authenticationType: 'PASSWORD',
      });
      const cookies = response.headers.getSetCookie();
      expect(cookies).toEqual([
        `access_token=${body.token}; Path=/; HttpOnly; Secure; SameSite=Lax`,
        `refresh_token=${body.refreshToken}; Path=/; Max-Age=${43_200 * 60}; HttpOnly; Secure; SameSite=Lax`,
      ]);
      // The cookie is a credential too.
      expect((await validate({ cookie: `access_token=${body.token}` })).status).toBe(200);
    });

    it('works through the FusionAuth client', async () => {
      const request: LoginRequest = {
        loginId: email,
        password: PASSWORD,
        applicationId: appRefresh,
      };
      const response = await client().login(request);
      expect(response.statusCode).toBe(200);
      test.watch.add(response.response.refreshToken);
      expect(response.response.user!.id).toBe(userId);
      expect(response.response.refreshTokenId).toEqual(expect.any(String));
    });

    it('issues no refresh token where the application generates none', async () => {
      const response = await client().login({
        loginId: email,
        password: PASSWORD,
        applicationId: appOpen,
      });
      expect(response.statusCode).toBe(200);
      expect(response.response.refreshToken).toBeUndefined();
      expect(response.response.refreshTokenId).toBeUndefined();
      const claims = await claimsOf(response.response.token!);
      expect(claims.sid).toBeUndefined();
      expect(claims.roles).toEqual(['admin']);
    });

    it('answers 202 for a user not registered for the application: no application claims', async () => {
      const other = await createApp({ generateRefreshTokens: true });
      const response = await post({ loginId: email, password: PASSWORD, applicationId: other });
      expect(response.status).toBe(202);
      const body = (await response.json()) as { token: string; refreshToken?: string };
      expect(body.refreshToken).toBeUndefined();
      const claims = await claimsOf(body.token);
      expect(claims.aud).toBe(other);
      expect(claims.applicationId).toBeUndefined();
      expect(claims.roles).toBeUndefined();
    });

    it('logs in without an application: a token with no audience', async () => {
      const response = await client().login({ loginId: email, password: PASSWORD });
      expect(response.statusCode).toBe(200);
      const claims = await claimsOf(response.response.token!);
      expect(claims.aud).toBeUndefined();
      expect(response.response.refreshToken).toBeUndefined();
    });

    it('issues nothing for noJWT: no token, no cookie, the user only', async () => {
      const response = await post({
        loginId: email,
        password: PASSWORD,
        applicationId: appRefresh,
        noJWT: true,
      });
      expect(response.status).toBe(200);
      expect(Object.keys((await response.json()) as object)).toEqual(['user']);
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it('finds users by email or username, as loginIdTypes say; phoneNumber matches no one', async () => {
      const user = (await client().retrieveUser(userId)).response.user!;
      const by = (loginId: string, loginIdTypes?: string[]) =>
        post({ loginId, password: PASSWORD, loginIdTypes });
      expect((await by(user.username!)).status).toBe(200);
      expect((await by(email.toUpperCase(), ['email'])).status).toBe(200);
      await expectEmpty(await by(user.username!, ['email']), 404);
      await expectEmpty(await by(email, ['phoneNumber']), 404);
    });

    it('answers the same empty 404, after the same argon2 work, for an unknown login id, a wrong password and an inactive user', async () => {
      const inactiveEmail = uniqueEmail('inactive');
      const inactive = await createUser(test, tenantId, { email: inactiveEmail });
      await client().deactivateUser(inactive);
      const attempts: [string, () => Promise<Response>][] = [
        ['unknown', () => post({ loginId: uniqueEmail('nobody'), password: PASSWORD })],
        ['wrong', () => post({ loginId: email, password: 'not the password' })],
        ['inactive', () => post({ loginId: inactiveEmail, password: PASSWORD })],
      ];
      for (const [, attempt] of attempts) {
        let response: Response | undefined;
        expect(await verifications(async () => (response = await attempt()))).toBe(1);
        await expectEmpty(response!, 404);
      }
      expect(await verifications(() => post({ loginId: email, password: PASSWORD }))).toBe(1);
      const refused = await failure(client().login({ loginId: 'doesntexist', password: 'pass' }));
      expect(refused.statusCode).toBe(404);
    });

    it('counts failures by reason in metrics, and per user and address in the tally', async () => {
      await post({ loginId: email, password: 'still not it' });
      const metrics = await (await test.http('/api/prometheus/metrics')).text();
      expect(metrics).toMatch(/portcullis_login_failures_total\{reason="wrong_password"\} [1-9]/);
      expect(metrics).toMatch(/portcullis_login_failures_total\{reason="unknown_login_id"\} [1-9]/);
      expect(metrics).not.toContain(userId);
      const tally = test.app.get(LoginFailures).view();
      expect(tally.subjects).toContainEqual({ key: userId, count: expect.any(Number) });
      expect(tally.addresses.map((entry) => entry.key)).toContain('127.0.0.1');
      expect(JSON.stringify(tally)).not.toContain(email);
    });

    it('refuses blank and malformed fields with 400', async () => {
      expect(await refusalCodes(client().login({ loginId: '', password: '' }))).toEqual([
        '[blank]loginId',
        '[blank]password',
      ]);
      expect(await refusalCodes(client().login({ loginId: ' ', password: PASSWORD }))).toEqual([
        '[blank]loginId',
      ]);
      const bad = await post({ loginId: email, password: PASSWORD, applicationId: 'nope' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('[couldNotConvert]applicationId');
    });

    it('refuses hostile bodies with a clear 400 before hashing anything', async () => {
      const cases: [unknown, string][] = [
        ['null', '[couldNotParseJSON]'],
        ['[]', '[couldNotParseJSON]'],
        ['"x"', '[couldNotParseJSON]'],
        ['1', '[couldNotParseJSON]'],
        ['', '[couldNotParseJSON]'],
        [{ loginId: email, password: 'x'.repeat(1_000_000) }, '[tooLong]password'],
        [{ loginId: 'x'.repeat(500), password: PASSWORD }, '[tooLong]loginId'],
        [{ loginId: [email], password: PASSWORD }, '[couldNotConvert]loginId'],
        [{ loginId: email, password: { $ne: 1 } }, '[couldNotConvert]password'],
        [{ loginId: email, password: PASSWORD, noJWT: 'yes' }, '[couldNotConvert]noJWT'],
        [{ loginId: email, password: PASSWORD, loginIdTypes: ['sms'] }, '[invalid]loginIdTypes'],
      ];
      for (const [body, code] of cases) {
        let response: Response | undefined;
        expect(await verifications(async () => (response = await post(body)))).toBe(0);
        expect(response!.status).toBe(400);
        expect(JSON.stringify(await response!.json())).toContain(code);
      }
    });

    it('answers a login with any property poisoned with a 4xx or a login, never a 500', async () => {
      const properties = [
        'loginId',
        'password',
        'applicationId',
        'noJWT',
        'loginIdTypes',
        'ipAddress',
        'metaData',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...properties),
          fc.jsonValue({ maxDepth: 3 }),
          async (property, value) => {
            const response = await post({ loginId: email, password: PASSWORD, [property]: value });
            expect([200, 400, 404]).toContain(response.status);
            if (response.status === 400)
              expect(response.headers.get('content-type')).toMatch(/^application\/json/);
            else await response.arrayBuffer();
          },
        ),
        { numRuns: 60 },
      );
    });

    describe('API key requirement', () => {
      it('needs a key for an application that requires one (the default): 401, empty', async () => {
        await expectEmpty(
          await post(
            { loginId: email, password: PASSWORD, applicationId: appRefresh },
            { key: null },
          ),
          401,
        );
        await expectEmpty(
          await post({ loginId: email, password: 'wrong' }, { key: null, tenant: null }),
          401,
        );
      });

      it('logs in without a key where the application waives it', async () => {
        const response = await client(null).login({
          loginId: email,
          password: PASSWORD,
          applicationId: appOpen,
        });
        expect(response.statusCode).toBe(200);
        await expectEmpty(
          await post({ loginId: email, password: 'wrong', applicationId: appOpen }, { key: null }),
          404,
        );
      });

      it("follows the tenant's setting when no application is named", async () => {
        const open = await createTenant(test);
        await test.client().patchTenant(open, {
          tenant: { loginConfiguration: { requireAuthentication: false } },
        });
        const openEmail = uniqueEmail('open');
        await createUser(test, open, { email: openEmail });
        const login = { loginId: openEmail, password: PASSWORD };
        expect((await post(login, { key: null, tenant: open })).status).toBe(200);
        // Several tenants and none named: nothing waives the key.
        await expectEmpty(await post(login, { key: null, tenant: null }), 401);
        await expectEmpty(await post(login, { key: null, tenant: tenantId }), 401);
      });

      it('refuses a present but invalid key, and any JWT, with 401', async () => {
        const login = { loginId: email, password: PASSWORD, applicationId: appOpen };
        await expectEmpty(await post(login, { key: 'not-a-key-at-all' }), 401);
        const token = (await client().login({ loginId: email, password: PASSWORD })).response
          .token!;
        await expectEmpty(await post(login, { key: `Bearer ${token}` }), 401);
      });

      it('answers an unknown or inactive application: 400 with a key, 401 without', async () => {
        const inactive = await createApp({ requireAuthentication: false });
        await client().deactivateApplication(inactive);
        for (const applicationId of [randomUUID(), inactive]) {
          const login = { loginId: email, password: PASSWORD, applicationId };
          const refused = await post(login);
          expect(refused.status).toBe(400);
          expect(JSON.stringify(await refused.json())).toContain('[invalid]applicationId');
          await expectEmpty(await post(login, { key: null }), 401);
        }
      });
    });

    describe('tenants', () => {
      let second: string;
      let twin: string;

      beforeAll(async () => {
        second = await createTenant(test);
        twin = await createUser(test, second, { email });
      });

      it('needs the tenant for a login id two tenants share, and the header picks', async () => {
        const login = { loginId: email, password: PASSWORD };
        expect(await refusalCodes(test.client().login(login))).toEqual(['[TenantIdRequired]']);
        const picked = await test.client(test.managerKey, second).login(login);
        expect(picked.response.user!.id).toBe(twin);
        expect((await claimsOf(picked.response.token!)).tid).toBe(second);
        // An application names its tenant.
        const viaApp = await test.client().login({ ...login, applicationId: appRefresh });
        expect(viaApp.response.user!.id).toBe(userId);
        test.watch.add(viaApp.response.refreshToken);
      });

      it("confines a tenant-scoped key to its tenant: another tenant's user is 404", async () => {
        const only = uniqueEmail('only');
        await createUser(test, second, { email: only });
        const scoped = (await createKey(test, { tenantId })).key;
        await expectEmpty(
          await post({ loginId: only, password: PASSWORD }, { key: scoped, tenant: null }),
          404,
        );
        const own = await test.client(scoped).login({ loginId: email, password: PASSWORD });
        expect(own.response.user!.id).toBe(userId);
      });
    });
  });

  describe('PUT /api/login/{userId}/{applicationId} (login ping)', () => {
    it('records a login: 200 registered, 202 not registered, no body', async () => {
      const before = Date.now();
      const ping = await client().loginPing(userId, appOpen, '10.1.2.3');
      expect(ping.statusCode).toBe(200);
      expect(ping.response).toBeUndefined();
      const user = (await client().retrieveUser(userId)).response.user!;
      expect(user.lastLoginInstant).toBeGreaterThanOrEqual(before);
      const registration = user.registrations!.find((entry) => entry.applicationId === appOpen)!;
      expect(registration.lastLoginInstant).toBe(user.lastLoginInstant);
      const other = await createApp({});
      expect((await client().loginPing(userId, other, NONE)).statusCode).toBe(202);
      expect((await client().loginPing(userId, NONE, NONE)).statusCode).toBe(200);
    });

    it('answers 404 for an unknown user, 400 for an unknown application or a bad id', async () => {
      expect((await failure(client().loginPing(randomUUID(), appOpen, NONE))).statusCode).toBe(404);
      expect(await refusalCodes(client().loginPing(userId, randomUUID(), NONE))).toEqual([
        '[invalid]applicationId',
      ]);
      expect(await refusalCodes(client().loginPing('nope', appOpen, NONE))).toEqual([
        '[couldNotConvert]userId',
      ]);
    });

    it('needs an API key', async () => {
      await expectEmpty(
        await test.http(`/api/login/${userId}/${appOpen}`, { method: 'PUT', key: null }),
        401,
      );
    });
  });

  describe('POST /api/logout', () => {
    async function session(): Promise<{ token: string; refreshToken: string }> {
      const response = await client().login({
        loginId: email,
        password: PASSWORD,
        applicationId: appRefresh,
      });
      test.watch.add(response.response.refreshToken);
      return { token: response.response.token!, refreshToken: response.response.refreshToken! };
    }
    const sessions = () => test.app.get(RefreshTokenService);

    it('revokes the refresh token (through the client), and its access tokens stop', async () => {
      const { token, refreshToken } = await session();
      expect(await sessions().find(refreshToken)).not.toBeNull();
      const response = await test.client(null).logout(false, refreshToken);
      expect(response.statusCode).toBe(200);
      expect(await sessions().find(refreshToken)).toBeNull();
      expect((await validate({ authorization: `Bearer ${token}` })).status).toBe(401);
    });

    it('revokes the refresh_token cookie and clears both cookies', async () => {
      const { refreshToken } = await session();
      const other = await session();
      const response = await test.http('/api/logout', {
        method: 'POST',
        key: null,
        headers: { cookie: `refresh_token=${refreshToken}`, 'content-type': 'text/plain' },
      });
      await expectEmpty(response.clone(), 200);
      expect(response.headers.getSetCookie()).toEqual([
        'access_token=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
        'refresh_token=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      ]);
      expect(await sessions().find(refreshToken)).toBeNull();
      expect(await sessions().find(other.refreshToken)).not.toBeNull();
    });

    it('revokes every refresh token of the user with global=true', async () => {
      const first = await session();
      const second = await session();
      await test.client(null).logout(true, first.refreshToken);
      expect(await sessions().find(first.refreshToken)).toBeNull();
      expect(await sessions().find(second.refreshToken)).toBeNull();
    });

    it('answers 200 with nothing to revoke, and refuses a text body', async () => {
      expect((await test.client(null).logout(false, NONE)).statusCode).toBe(200);
      const unknown = await rawRequest(
        test.url,
        'POST',
        '/api/logout?refreshToken=nothing-like-it',
      );
      expect(unknown.status).toBe(200);
      const texted = await rawRequest(
        test.url,
        'POST',
        '/api/logout',
        { 'content-type': 'text/plain' },
        'hello',
      );
      expect(texted.status).toBe(400);
    });
  });
});

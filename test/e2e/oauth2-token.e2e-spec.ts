import { GrantType } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import { randomUUID } from 'node:crypto';
import { RefreshTokenService } from '../../src/refresh-token/refresh-token.service';
import { createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { PASSWORD, uniqueEmail, uniqueName } from '../support/fixtures';
import { rawRequest, RawResponse } from '../support/http';

const NONE = null as unknown as string;
const FORM = 'application/x-www-form-urlencoded';

jest.setTimeout(120_000);

interface Client {
  applicationId: string;
  secret: string;
}

const EXAMPLE_PASSWORD = 'the example user’s password';
describe.each(dialects())('the token endpoint on %s', (dialect) => {
  let test: TestApp;
  let tenantId: string;
  let client: Client;
  let email: string;
  let userId: string;

  const admin = (tenant = tenantId) => test.client(test.managerKey, tenant);

  async function createClient(
    oauthConfiguration: object,
    tenant = tenantId,
    extra: object = {},
  ): Promise<Client> {
    const created = await admin(tenant).createApplication(NONE, {
      application: {
        name: uniqueName('oauth-app'),
        roles: [{ name: 'reader' }],
        oauthConfiguration,
        ...extra,
      },
    });
    const application = created.response.application!;
    test.watch.add(application.oauthConfiguration!.clientSecret);
    return {
      applicationId: application.id!,
      secret: application.oauthConfiguration!.clientSecret!,
    };
  }

  async function post(
    form: string | Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<RawResponse> {
    const body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
    return rawRequest(
      test.url,
      'POST',
      '/oauth2/token',
      { 'content-type': FORM, ...headers },
      body,
    );
  }

  /** The answer as a comparable value: status and parsed body. */
  async function answer(
    form: string | Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    const response = await post(form, headers);
    return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
  }

  const oauthError = (status: number, error: string, reason: string) => ({
    status,
    body: { error, error_description: expect.any(String) as string, error_reason: reason },
  });

  /** The password grant's form for a client, asking for a refresh token. */
  const offlineForm = (forClient: Client) =>
    passwordForm({
      client_id: forClient.applicationId,
      client_secret: forClient.secret,
      scope: 'offline_access',
    });

  /** The form without the named fields. */
  const without = (form: Record<string, string>, ...names: string[]) =>
    Object.fromEntries(Object.entries(form).filter(([name]) => !names.includes(name)));

  const passwordForm = (overrides: Record<string, string> = {}) => ({
    grant_type: 'password',
    client_id: client.applicationId,
    client_secret: client.secret,
    username: email,
    password: PASSWORD,
    ...overrides,
  });

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantId = await createTenant(test);
    client = await createClient({ enabledGrants: ['password', 'refresh_token'] });
    email = uniqueEmail('oauth');
    const created = await admin().register(NONE, {
      user: { email, password: PASSWORD },
      registration: { applicationId: client.applicationId, roles: ['reader'] },
    });
    userId = created.response.user!.id!;
  });
  afterAll(() => test?.close());

  it("passes the FusionAuth client's own OAuth login test", async () => {
    // The client's test: an application enabling the password and authorization-code
    // grants, a user not registered for it, the tenant set on the client.
    const fusionTenant = await createTenant(test);
    const sdk = test.client(test.managerKey, fusionTenant);
    const applicationId = randomUUID();
    const created = await sdk.createApplication(applicationId, {
      application: {
        name: 'TypeScript FusionAuth Client',
        oauthConfiguration: {
          enabledGrants: [GrantType.password, GrantType.authorization_code],
          authorizedRedirectURLs: ['http://localhost'],
        },
      },
    });
    expect(created.statusCode).toBe(200);
    // The client's test uses the password "password"; a word that common appears in log
    // lines as itself, so a distinctive one stands in (the flow is the same).
    await sdk.createUser(randomUUID(), {
      user: { email: 'exampleUser@fusionauth.io', password: EXAMPLE_PASSWORD },
    });
    const application = await sdk.retrieveApplication(applicationId);
    const clientId = application.response.application!.oauthConfiguration!.clientId!;
    const clientSecret = application.response.application!.oauthConfiguration!.clientSecret!;
    test.watch.add(clientSecret);
    const token = await sdk.exchangeUserCredentialsForAccessToken(
      'exampleUser@fusionauth.io',
      EXAMPLE_PASSWORD,
      clientId,
      clientSecret,
      'email openid',
      NONE,
    );
    expect(token.statusCode).toBe(200);
    expect(token.response).toEqual({
      access_token: expect.any(String) as string,
      expires_in: expect.any(Number) as number,
      token_type: 'Bearer',
      scope: 'email openid',
      userId: expect.any(String) as string,
    });
    const claims = decodeJwt(token.response.access_token!);
    expect(claims).toMatchObject({ aud: applicationId, tid: fusionTenant, scope: 'email openid' });
    // Not registered: no roles, as FusionAuth's 202 login.
    expect(claims.roles).toBeUndefined();
  });

  it('issues an access token and, for offline_access, a refresh token', async () => {
    const sdk = test.client(null);
    const token = await sdk.exchangeUserCredentialsForAccessToken(
      email,
      PASSWORD,
      client.applicationId,
      client.secret,
      'offline_access',
      NONE,
    );
    const body = token.response;
    expect(body).toEqual({
      access_token: expect.any(String) as string,
      expires_in: expect.any(Number) as number,
      token_type: 'Bearer',
      scope: 'offline_access',
      refresh_token: expect.any(String) as string,
      refresh_token_id: expect.any(String) as string,
      userId,
    });
    test.watch.add(body.refresh_token);
    expect(body.expires_in).toBeGreaterThan(3500);
    const claims = decodeJwt(body.access_token!);
    expect(claims).toMatchObject({
      aud: client.applicationId,
      sub: userId,
      sid: body.refresh_token_id,
      roles: ['reader'],
      authenticationType: 'PASSWORD',
      scope: 'offline_access',
    });
    const validated = await test.client(null).validateJWT(body.access_token!);
    expect(validated.response.jwt?.sub).toBe(userId);

    const refreshed = await sdk.exchangeRefreshTokenForAccessToken(
      body.refresh_token!,
      client.applicationId,
      client.secret,
      NONE,
      NONE,
    );
    expect(refreshed.response).toMatchObject({
      token_type: 'Bearer',
      refresh_token: body.refresh_token,
      refresh_token_id: body.refresh_token_id,
      scope: 'offline_access',
      userId,
    });
    const again = decodeJwt(refreshed.response.access_token!);
    expect(again).toMatchObject({
      authenticationType: 'REFRESH_TOKEN',
      sid: body.refresh_token_id,
      auth_time: claims.auth_time,
      scope: 'offline_access',
    });
  });

  it('issues no refresh token without offline_access, or when the application turns them off', async () => {
    const plain = await answer(passwordForm());
    expect(plain.status).toBe(200);
    expect(plain.body.refresh_token).toBeUndefined();
    expect(plain.body.scope).toBeUndefined();
    const off = await createClient({ enabledGrants: ['password'], generateRefreshTokens: false });
    const refused = await answer(offlineForm(off));
    expect(refused.status).toBe(200);
    expect(refused.body.refresh_token).toBeUndefined();
  });

  it('authenticates the client by HTTP Basic, and refuses two methods at once', async () => {
    const basic = `Basic ${Buffer.from(`${client.applicationId}:${client.secret}`).toString('base64')}`;
    const form = without(passwordForm(), 'client_id', 'client_secret');
    expect((await answer(form, { authorization: basic })).status).toBe(200);
    expect(
      (await answer({ ...form, client_id: client.applicationId }, { authorization: basic })).status,
    ).toBe(200);
    expect(await answer(passwordForm(), { authorization: basic })).toEqual(
      oauthError(400, 'invalid_request', 'invalid_client_authentication'),
    );
    expect(await answer({ ...form, client_id: randomUUID() }, { authorization: basic })).toEqual(
      oauthError(400, 'invalid_request', 'client_id_mismatch'),
    );
    const wrong = `Basic ${Buffer.from(`${client.applicationId}:nope-nope-nope`).toString('base64')}`;
    expect(await answer(form, { authorization: wrong })).toEqual(
      oauthError(401, 'invalid_client', 'invalid_client_authentication'),
    );
    expect(await answer(form, { authorization: `Bearer ${client.secret}` })).toEqual(
      oauthError(401, 'invalid_client', 'invalid_client_authentication_scheme'),
    );
  });

  it('answers refusals with OAuth error bodies', async () => {
    expect(await answer(passwordForm({ password: 'not the password' }))).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'The user credentials are invalid.',
        error_reason: 'invalid_user_credentials',
      },
    });
    expect(await answer(passwordForm({ username: uniqueEmail('nobody') }))).toEqual(
      oauthError(400, 'invalid_grant', 'invalid_user_credentials'),
    );
    expect(await answer(passwordForm({ client_secret: 'wrong-secret-value' }))).toEqual(
      oauthError(401, 'invalid_client', 'invalid_client_authentication'),
    );
    expect(await answer(passwordForm({ client_id: randomUUID() }))).toEqual(
      oauthError(401, 'invalid_client', 'invalid_client_id'),
    );
    expect(await answer(passwordForm({ client_id: 'not-a-uuid' }))).toEqual(
      oauthError(401, 'invalid_client', 'invalid_client_id'),
    );
    expect(await answer(without(passwordForm(), 'client_id', 'client_secret'))).toEqual(
      oauthError(401, 'invalid_client', 'client_authentication_missing'),
    );
    expect(await answer(without(passwordForm(), 'client_secret'))).toEqual(
      oauthError(401, 'invalid_client', 'missing_client_secret'),
    );
    expect(await answer(passwordForm({ grant_type: 'magic' }))).toEqual(
      oauthError(400, 'unsupported_grant_type', 'invalid_grant_type'),
    );
    expect(await answer(without(passwordForm(), 'grant_type'))).toEqual(
      oauthError(400, 'invalid_request', 'missing_grant_type'),
    );
    const passwordOnly = await createClient({ enabledGrants: ['password'] });
    expect(
      await answer({
        grant_type: 'refresh_token',
        refresh_token: 'whatever-token',
        client_id: passwordOnly.applicationId,
        client_secret: passwordOnly.secret,
      }),
    ).toEqual(oauthError(400, 'unauthorized_client', 'grant_type_disabled'));
    expect(
      await answer({
        grant_type: 'refresh_token',
        refresh_token: 'not-a-refresh-token',
        client_id: client.applicationId,
        client_secret: client.secret,
      }),
    ).toEqual(oauthError(400, 'invalid_grant', 'refresh_token_not_found'));
  });

  it('lets a client whose policy is NotRequired leave its secret out', async () => {
    const open = await createClient({
      enabledGrants: ['password'],
      clientAuthenticationPolicy: 'NotRequired',
    });
    const form = without(passwordForm({ client_id: open.applicationId }), 'client_secret');
    expect((await answer(form)).status).toBe(200);
    const basic = `Basic ${Buffer.from(`${open.applicationId}:`).toString('base64')}`;
    expect((await answer(without(form, 'client_id'), { authorization: basic })).status).toBe(200);
    expect(await answer({ ...form, client_secret: 'a-wrong-secret' })).toEqual(
      oauthError(401, 'invalid_client', 'invalid_client_authentication'),
    );
  });

  it("refuses a client named with another tenant's header", async () => {
    const other = await createTenant(test);
    expect(await answer(passwordForm(), { 'x-fusionauth-tenantid': other })).toEqual(
      oauthError(401, 'invalid_client', 'invalid_client_id'),
    );
    expect((await answer(passwordForm(), { 'x-fusionauth-tenantid': tenantId })).status).toBe(200);
  });

  it('does not log in a user of another tenant', async () => {
    const other = await createTenant(test);
    const stranger = uniqueEmail('stranger');
    await admin(other).createUser(NONE, { user: { email: stranger, password: PASSWORD } });
    expect(await answer(passwordForm({ username: stranger }))).toEqual(
      oauthError(400, 'invalid_grant', 'invalid_user_credentials'),
    );
  });

  it('refuses hostile forms with a clear 400, and never caches an answer', async () => {
    expect(await answer(without(passwordForm(), 'password'))).toEqual(
      oauthError(400, 'invalid_request', 'unknown'),
    );
    const repeated = `${new URLSearchParams(passwordForm()).toString()}&username=${encodeURIComponent(email)}`;
    expect(await answer(repeated)).toEqual(oauthError(400, 'invalid_request', 'unknown'));
    expect(await answer(passwordForm({ password: 'x'.repeat(1_000_000) }))).toEqual(
      oauthError(400, 'invalid_request', 'unknown'),
    );
    expect(await answer(passwordForm({ username: '%00\u0000'.repeat(100) }))).toEqual(
      oauthError(400, 'invalid_grant', 'invalid_user_credentials'),
    );
    expect(await answer('%%%&&&===&grant_type')).toEqual(
      oauthError(400, 'invalid_request', 'missing_grant_type'),
    );
    // JSON, text, and no content type: not a form.
    for (const contentType of ['application/json', 'text/plain']) {
      const response = await rawRequest(
        test.url,
        'POST',
        '/oauth2/token',
        { 'content-type': contentType },
        contentType === 'text/plain' ? '' : JSON.stringify(passwordForm()),
      );
      expect({ status: response.status, body: JSON.parse(response.body) as unknown }).toEqual(
        oauthError(400, 'invalid_request', 'unknown'),
      );
      expect(response.headers['cache-control']).toBe('no-store');
    }
    const bare = await rawRequest(test.url, 'POST', '/oauth2/token', {});
    expect(bare.status).toBe(400);
    const huge = await post(`grant_type=password&password=${'x'.repeat(1_100_000)}`);
    expect(huge.status).toBe(400);
    expect(huge.headers['cache-control']).toBe('no-store');
    const xml = await rawRequest(
      test.url,
      'POST',
      '/oauth2/token',
      { 'content-type': 'application/xml' },
      '<a/>',
    );
    expect(xml.status).toBe(400);
    const ok = await post(passwordForm());
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers.pragma).toBe('no-cache');
  });

  describe('refresh tokens', () => {
    async function offline(
      forClient = client,
    ): Promise<{ token: string; id: string; access: string }> {
      const response = await answer(offlineForm(forClient));
      expect(response.status).toBe(200);
      const token = response.body.refresh_token as string;
      test.watch.add(token);
      return {
        token,
        id: response.body.refresh_token_id as string,
        access: response.body.access_token as string,
      };
    }

    const redeem = (token: string, forClient = client, extra: Record<string, string> = {}) =>
      answer({
        grant_type: 'refresh_token',
        refresh_token: token,
        client_id: forClient.applicationId,
        client_secret: forClient.secret,
        ...extra,
      });

    it('refuses a token after its revocation, and its access tokens stop', async () => {
      const { token, id, access } = await offline();
      expect((await redeem(token)).status).toBe(200);
      await admin().revokeRefreshTokenById(id);
      expect(await redeem(token)).toEqual(
        oauthError(400, 'invalid_grant', 'refresh_token_not_found'),
      );
      expect((await failure(test.client(null).validateJWT(access))).statusCode).toBe(401);
    });

    it("refuses another client's token without consuming it, and a wider scope", async () => {
      const { token } = await offline();
      const other = await createClient({ enabledGrants: ['password', 'refresh_token'] });
      expect(await redeem(token, other)).toEqual(
        oauthError(400, 'invalid_grant', 'refresh_token_not_found'),
      );
      expect(await redeem(token, client, { scope: 'offline_access admin' })).toEqual(
        oauthError(400, 'invalid_scope', 'unknown'),
      );
      expect((await redeem(token)).status).toBe(200);
    });

    it('refuses the token of a deactivated user', async () => {
      const { token } = await offline();
      await admin().deactivateUser(userId);
      try {
        expect(await redeem(token)).toEqual(
          oauthError(400, 'invalid_grant', 'refresh_token_not_found'),
        );
      } finally {
        await admin().reactivateUser(userId);
      }
      expect((await redeem(token)).status).toBe(200);
    });

    it('rotates OneTimeUse tokens: the old one is refused, one of two racing uses wins', async () => {
      const rotating = await createClient(
        { enabledGrants: ['password', 'refresh_token'] },
        tenantId,
        { jwtConfiguration: { enabled: true, refreshTokenUsagePolicy: 'OneTimeUse' } },
      );
      const { token, id, access } = await offline(rotating);
      const first = await redeem(token, rotating);
      expect(first.status).toBe(200);
      const next = first.body.refresh_token as string;
      test.watch.add(next);
      expect(next).not.toBe(token);
      // The session is the same: its id stays, and access tokens naming it (sid) stand.
      expect(first.body.refresh_token_id).toBe(id);
      const validated = await test.http('/api/jwt/validate', {
        key: null,
        headers: { authorization: `Bearer ${access}` },
      });
      expect(validated.status).toBe(200);
      expect(await redeem(token, rotating)).toEqual(
        oauthError(400, 'invalid_grant', 'refresh_token_not_found'),
      );
      const racing = await Promise.all([redeem(next, rotating), redeem(next, rotating)]);
      for (const response of racing) test.watch.add(response.body.refresh_token);
      expect(racing.map((response) => response.status).sort()).toEqual([200, 400]);
    });

    it('extends SlidingWindow tokens on each use', async () => {
      const sliding = await createClient(
        { enabledGrants: ['password', 'refresh_token'] },
        tenantId,
        {
          jwtConfiguration: {
            enabled: true,
            refreshTokenExpirationPolicy: 'SlidingWindow',
            refreshTokenTimeToLiveInMinutes: 10,
          },
        },
      );
      const { token, id } = await offline(sliding);
      const service = test.app.get(RefreshTokenService);
      const before = (await service.getById(tenantId, id))!.expirationInstant;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await redeem(token, sliding)).status).toBe(200);
      const after = (await service.getById(tenantId, id))!.expirationInstant;
      expect(after).toBeGreaterThan(before);
      expect(after).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
    });
  });
});

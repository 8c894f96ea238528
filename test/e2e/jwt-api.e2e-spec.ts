import { decodeJwt, decodeProtectedHeader } from 'jose';
import { randomUUID } from 'node:crypto';
import {
  createKey,
  createTenant,
  dialects,
  failure,
  refusalCodes,
  startApp,
  TestApp,
} from '../support/app';
import { PASSWORD, uniqueEmail, uniqueName } from '../support/fixtures';
import { rawRequest } from '../support/http';
import { forgeryKit } from '../support/tokens';

const NONE = null as unknown as string;

jest.setTimeout(120_000);

interface Session {
  token: string;
  refreshToken: string;
  refreshTokenId: string;
}

describe.each(dialects())('the JWT API on %s', (dialect) => {
  let test: TestApp;
  let tenantId: string;
  /** Refresh tokens generated, token refresh allowed. */
  let appA: string;
  /** The same tenant; the user is registered for it too; refresh tokens generated. */
  let appB: string;
  /** The same tenant; the user is not registered for it. */
  let appC: string;
  /** Refresh tokens generated, token refresh not allowed (FusionAuth's default). */
  let appNoRefresh: string;
  let email: string;
  let userId: string;

  const admin = (tenant = tenantId) => test.client(test.managerKey, tenant);

  async function createApp(loginConfiguration: object): Promise<string> {
    const created = await admin().createApplication(NONE, {
      application: { name: uniqueName('jwt-app'), roles: [{ name: 'member' }], loginConfiguration },
    });
    return created.response.application!.id!;
  }

  async function login(applicationId = appA, loginId = email): Promise<Session> {
    const response = await admin().login({ loginId, password: PASSWORD, applicationId });
    const { token, refreshToken, refreshTokenId } = response.response;
    test.watch.add(refreshToken);
    return { token: token!, refreshToken: refreshToken!, refreshTokenId: refreshTokenId! };
  }

  async function newUser(applicationIds: string[]): Promise<{ id: string; email: string }> {
    const address = uniqueEmail('jwt');
    const created = await admin().createUser(NONE, {
      user: { email: address, password: PASSWORD },
    });
    const id = created.response.user!.id!;
    for (const applicationId of applicationIds)
      await admin().register(id, { registration: { applicationId, roles: ['member'] } });
    return { id, email: address };
  }

  const stands = async (token: string) =>
    (
      await test.http('/api/jwt/validate', {
        key: null,
        headers: { authorization: `Bearer ${token}` },
      })
    ).status;

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantId = await createTenant(test);
    const refreshing = { generateRefreshTokens: true, allowTokenRefresh: true };
    appA = await createApp(refreshing);
    appB = await createApp(refreshing);
    appC = await createApp(refreshing);
    appNoRefresh = await createApp({ generateRefreshTokens: true });
    const user = await newUser([appA, appB, appNoRefresh]);
    userId = user.id;
    email = user.email;
  });
  afterAll(() => test?.close());

  describe('POST /api/jwt/refresh', () => {
    it('exchanges a refresh token for a new JWT, with the cookies a login sets', async () => {
      const session = await login();
      const refreshed = await test.client(null).exchangeRefreshTokenForJWT({
        refreshToken: session.refreshToken,
      });
      expect(refreshed.statusCode).toBe(200);
      expect(refreshed.response).toEqual({
        token: expect.any(String) as string,
        refreshToken: session.refreshToken,
        refreshTokenId: session.refreshTokenId,
      });
      const claims = decodeJwt(refreshed.response.token!);
      const original = decodeJwt(session.token);
      expect(claims).toMatchObject({
        sub: userId,
        aud: appA,
        roles: ['member'],
        sid: session.refreshTokenId,
        authenticationType: 'REFRESH_TOKEN',
      });
      expect(
        Math.abs((claims.auth_time as number) - (original.auth_time as number)),
      ).toBeLessThanOrEqual(1);
      expect(await stands(refreshed.response.token!)).toBe(200);

      const raw = await test.http('/api/jwt/refresh', {
        key: null,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken, token: session.token }),
      });
      expect(raw.status).toBe(200);
      const cookies = raw.headers.getSetCookie();
      expect(cookies).toEqual([
        expect.stringMatching(/^access_token=[^;]+; Path=\/; HttpOnly/),
        expect.stringMatching(/^refresh_token=[^;]+; Path=\/; Max-Age=\d+; HttpOnly/),
      ]);
    });

    it('takes the refresh_token cookie over the body', async () => {
      const session = await login();
      const post = (cookie: string, body: object) =>
        rawRequest(
          test.url,
          'POST',
          '/api/jwt/refresh',
          { 'content-type': 'application/json', cookie },
          JSON.stringify(body),
        );
      expect(
        (await post(`refresh_token=${session.refreshToken}`, { refreshToken: 'nonsense-token' }))
          .status,
      ).toBe(200);
      const refused = await post('refresh_token=nonsense-token', {
        refreshToken: session.refreshToken,
      });
      expect({ status: refused.status, body: JSON.parse(refused.body) as unknown }).toEqual({
        status: 400,
        body: {
          fieldErrors: {
            refreshToken: [expect.objectContaining({ code: '[invalid]refreshToken' })],
          },
        },
      });
    });

    it('refuses a missing, unknown, revoked or disallowed refresh token with a 400', async () => {
      const sdk = test.client(null);
      expect(await refusalCodes(sdk.exchangeRefreshTokenForJWT({}))).toEqual([
        '[blank]refreshToken',
      ]);
      expect(
        await refusalCodes(sdk.exchangeRefreshTokenForJWT({ refreshToken: 'unknown-token' })),
      ).toEqual(['[invalid]refreshToken']);
      expect(
        await refusalCodes(sdk.exchangeRefreshTokenForJWT({ refreshToken: 'x'.repeat(5000) })),
      ).toEqual(['[tooLong]refreshToken']);
      const session = await login();
      await admin().revokeRefreshTokenById(session.refreshTokenId);
      expect(
        await refusalCodes(sdk.exchangeRefreshTokenForJWT({ refreshToken: session.refreshToken })),
      ).toEqual(['[invalid]refreshToken']);
      const disallowed = await login(appNoRefresh);
      expect(
        await refusalCodes(
          sdk.exchangeRefreshTokenForJWT({ refreshToken: disallowed.refreshToken }),
        ),
      ).toEqual(['[notAllowed]refreshToken']);
      for (const body of ['null', '[]', '"x"']) {
        const response = await rawRequest(
          test.url,
          'POST',
          '/api/jwt/refresh',
          { 'content-type': 'application/json' },
          body,
        );
        expect(response.status).toBe(400);
      }
    });
  });

  describe('listing and revoking refresh tokens', () => {
    it('lists, retrieves and revokes by id, by token, by user and by application', async () => {
      const user = await newUser([appA, appB]);
      const sessions = [
        await login(appA, user.email),
        await login(appA, user.email),
        await login(appB, user.email),
        await login(appB, user.email),
        await login(appA, user.email),
      ];
      const listed = await admin().retrieveRefreshTokens(user.id);
      expect(listed.response.refreshTokens!.map((token) => token.id).sort()).toEqual(
        sessions.map((session) => session.refreshTokenId).sort(),
      );
      const one = await admin().retrieveRefreshTokenById(sessions[0].refreshTokenId);
      expect(one.response.refreshToken).toMatchObject({
        id: sessions[0].refreshTokenId,
        userId: user.id,
        applicationId: appA,
        tenantId,
      });
      expect(JSON.stringify(listed.response)).not.toContain(sessions[0].refreshToken);

      await admin().revokeRefreshTokenById(sessions[0].refreshTokenId);
      expect(await stands(sessions[0].token)).toBe(401);
      await admin().revokeRefreshTokenByToken(sessions[1].refreshToken);
      expect(await stands(sessions[1].token)).toBe(401);
      await admin().revokeRefreshTokensByUserIdForApplication(user.id, appB);
      expect(await stands(sessions[2].token)).toBe(401);
      expect(await stands(sessions[3].token)).toBe(401);
      expect(await stands(sessions[4].token)).toBe(200);
      await admin().revokeRefreshTokensByUserId(user.id);
      expect(await stands(sessions[4].token)).toBe(401);
      expect((await admin().retrieveRefreshTokens(user.id)).response.refreshTokens).toEqual([]);

      const again = await login(appA, user.email);
      await admin().revokeRefreshToken(again.refreshToken, NONE, NONE);
      expect(await stands(again.token)).toBe(401);
      const byApplication = await login(appC === appA ? appA : appA, user.email);
      await admin().revokeRefreshTokensByApplicationId(appA);
      expect(await stands(byApplication.token)).toBe(401);
      expect(
        (await failure(admin().retrieveRefreshTokenById(again.refreshTokenId))).statusCode,
      ).toBe(404);
    });

    it("confines a tenant-scoped key to its tenant's tokens", async () => {
      const other = await createTenant(test);
      const scoped = (await createKey(test, { tenantId: other })).key;
      const session = await login();
      const foreign = test.client(scoped);
      expect(
        (await failure(foreign.retrieveRefreshTokenById(session.refreshTokenId))).statusCode,
      ).toBe(404);
      expect((await failure(foreign.retrieveRefreshTokens(userId))).statusCode).toBe(404);
      expect(
        (await failure(foreign.revokeRefreshTokenById(session.refreshTokenId))).statusCode,
      ).toBe(404);
      expect(
        (await failure(foreign.revokeRefreshTokenByToken(session.refreshToken))).statusCode,
      ).toBe(404);
      expect((await failure(foreign.revokeRefreshTokensByUserId(userId))).statusCode).toBe(404);
      expect(await stands(session.token)).toBe(200);
    });

    it("lets a user revoke its own token with its JWT, and nobody else's", async () => {
      const mine = await login();
      const stranger = await newUser([appA]);
      const theirs = await login(appA, stranger.email);
      const asUser = (token: string) => ({ authorization: `Bearer ${token}` });
      const byId = (session: Session, bearer: string) =>
        rawRequest(
          test.url,
          'DELETE',
          `/api/jwt/refresh/${session.refreshTokenId}`,
          asUser(bearer),
        );
      expect((await byId(theirs, mine.token)).status).toBe(404);
      expect(await stands(theirs.token)).toBe(200);
      const form = (session: Session, bearer: string) => {
        const body = `token=${encodeURIComponent(session.refreshToken)}`;
        return rawRequest(
          test.url,
          'DELETE',
          '/api/jwt/refresh',
          {
            ...asUser(bearer),
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(Buffer.byteLength(body)),
          },
          body,
        );
      };
      const probe = await form(theirs, mine.token);
      expect(probe.status).toBe(404);
      // A user's JWT names no one's tokens in bulk.
      const bulk = await rawRequest(
        test.url,
        'DELETE',
        `/api/jwt/refresh?userId=${stranger.id}`,
        asUser(mine.token),
      );
      expect(bulk.status).toBe(401);
      expect(await stands(theirs.token)).toBe(200);
      const second = await login();
      const revoked = await form(second, mine.token);
      expect({ status: revoked.status, body: revoked.body, type: revoked.contentType }).toEqual({
        status: 200,
        body: '',
        type: undefined,
      });
      expect(await stands(second.token)).toBe(401);
      expect((await byId(mine, mine.token)).status).toBe(200);
      expect(await stands(mine.token)).toBe(401);
    });

    it('refuses a revocation that names nothing, and bad ids', async () => {
      expect(await refusalCodes(admin().revokeRefreshToken(NONE, NONE, NONE))).toEqual([
        '[missing]token',
      ]);
      expect(await refusalCodes(admin().revokeRefreshTokensByUserId('not-a-uuid'))).toEqual([
        '[couldNotConvert]userId',
      ]);
      expect((await failure(admin().revokeRefreshTokensByUserId(randomUUID()))).statusCode).toBe(
        404,
      );
      expect((await failure(admin().revokeRefreshTokenByToken('no-such-token'))).statusCode).toBe(
        404,
      );
      expect(await refusalCodes(admin().retrieveRefreshTokens(NONE))).toEqual(['[missing]userId']);
    });
  });

  describe('GET /api/jwt/issue', () => {
    it('issues a token for another application, ending when the presented one does', async () => {
      const session = await login();
      const issued = await test.client(null).issueJWT(appB, session.token, session.refreshToken);
      expect(issued.statusCode).toBe(200);
      const claims = decodeJwt(issued.response.token!);
      const original = decodeJwt(session.token);
      expect(claims).toMatchObject({
        sub: userId,
        aud: appB,
        applicationId: appB,
        roles: ['member'],
        exp: original.exp,
        tid: tenantId,
      });
      expect(issued.response.refreshToken).toEqual(expect.any(String));
      test.watch.add(issued.response.refreshToken);
      expect(claims.sid).not.toBe(original.sid);
      expect(await stands(issued.response.token!)).toBe(200);
      const withoutRefresh = await test.client(null).issueJWT(appB, session.token, NONE);
      expect(withoutRefresh.response.refreshToken).toBeUndefined();
    });

    it('answers 202 for an application the user is not registered for, and refuses others', async () => {
      const session = await login();
      const unregistered = await test.client(null).issueJWT(appC, session.token, NONE);
      expect(unregistered.statusCode).toBe(202);
      expect(decodeJwt(unregistered.response.token!).roles).toBeUndefined();
      expect(
        await refusalCodes(test.client(null).issueJWT(randomUUID(), session.token, NONE)),
      ).toEqual(['[invalid]applicationId']);
      const elsewhere = await createTenant(test);
      const foreignApp = (
        await admin(elsewhere).createApplication(NONE, { application: { name: uniqueName('far') } })
      ).response.application!.id!;
      expect(
        await refusalCodes(test.client(null).issueJWT(foreignApp, session.token, NONE)),
      ).toEqual(['[invalid]applicationId']);
      expect((await failure(test.client(null).issueJWT(appB, 'not-a-jwt', NONE))).statusCode).toBe(
        401,
      );
      expect(
        (await failure(test.client(test.managerKey).issueJWT(appB, NONE, NONE))).statusCode,
      ).toBe(401);
    });

    it('takes the refresh_token cookie over the parameter', async () => {
      const session = await login();
      const response = await rawRequest(
        test.url,
        'GET',
        `/api/jwt/issue?applicationId=${appB}&refreshToken=nonsense-token`,
        {
          authorization: `Bearer ${session.token}`,
          cookie: `refresh_token=${session.refreshToken}`,
        },
      );
      expect(response.status).toBe(200);
      const body = JSON.parse(response.body) as { refreshToken?: string };
      test.watch.add(body.refreshToken);
      expect(body.refreshToken).toEqual(expect.any(String));
    });
  });

  describe('POST /api/jwt/vend', () => {
    it('vends a token with the claims given, exp and iat its own', async () => {
      const vended = await admin().vendJWT({
        claims: { sub: userId, role: 'robot', exp: 1, iat: 1 },
        timeToLiveInSeconds: 120,
      });
      const claims = decodeJwt(vended.response.token!);
      expect(claims).toMatchObject({ sub: userId, role: 'robot', tid: tenantId });
      expect(claims.exp! - claims.iat!).toBe(120);
      expect(claims.iat).toBeGreaterThan(Date.now() / 1000 - 60);
    });

    it("keeps a tenant-confined caller's tokens in its tenant", async () => {
      const kit = await forgeryKit(test);
      const theirUser = (
        await admin(kit.tenantId).createUser(NONE, {
          user: { email: uniqueEmail('victim'), password: PASSWORD },
        })
      ).response.user!.id!;
      const scoped = (await createKey(test, { tenantId })).key;
      const vended = await test.client(scoped).vendJWT({
        claims: { sub: theirUser, tid: kit.tenantId, iss: kit.issuer },
      });
      const claims = decodeJwt(vended.response.token!);
      expect(claims.tid).toBe(tenantId);
      expect(await stands(vended.response.token!)).toBe(401);
      // Another tenant's signing key is not this caller's to use.
      expect(
        await refusalCodes(
          test.client(scoped).vendJWT({ claims: { sub: theirUser }, keyId: kit.keyId }),
        ),
      ).toEqual(['[invalid]keyId']);
      const global = await admin(NONE).vendJWT({
        claims: { sub: theirUser, tid: kit.tenantId, iss: kit.issuer },
        keyId: kit.keyId,
      });
      expect(decodeProtectedHeader(global.response.token!).kid).toBe(kit.kid);
      expect(await stands(global.response.token!)).toBe(200);
    });

    it('refuses bad lifetimes, keys and bodies', async () => {
      expect(await refusalCodes(admin().vendJWT({ claims: {}, timeToLiveInSeconds: 0 }))).toEqual([
        '[invalid]timeToLiveInSeconds',
      ]);
      expect(
        await refusalCodes(admin().vendJWT({ claims: {}, timeToLiveInSeconds: 10 ** 12 })),
      ).toEqual(['[invalid]timeToLiveInSeconds']);
      expect(await refusalCodes(admin(NONE).vendJWT({ claims: {}, keyId: randomUUID() }))).toEqual([
        '[invalid]keyId',
      ]);
      expect(await refusalCodes(admin().vendJWT({ claims: 'x' as never }))).toEqual([
        '[couldNotConvert]claims',
      ]);
    });
  });
});

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
import {
  createEntity,
  createEntityType,
  grant,
  SCIM_PERMISSIONS,
  ScimWiring,
  scimToken,
  wireScim,
} from '../support/client-credentials';
import { createUser, PASSWORD, uniqueEmail } from '../support/fixtures';
import { rawRequest, RawResponse } from '../support/http';
import { forgeryKit, handBuilt, hmacSigned } from '../support/tokens';

const NONE = null as unknown as string;
const FORM = 'application/x-www-form-urlencoded';
const USERS = '/api/scim/resource/v2/Users';
const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

jest.setTimeout(120_000);

const now = () => Math.floor(Date.now() / 1000);

describe.each(dialects())('client credentials (%s)', (dialect) => {
  let test: TestApp;
  let tenantId: string;
  let wiring: ScimWiring;

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantId = await createTenant(test);
    wiring = await wireScim(test, tenantId);
  });

  afterAll(async () => {
    // Client secrets and tokens went through every path here; none may reach a log line.
    expect(test.watch.logLines().length).toBeGreaterThan(0);
    expect(test.watch.leaks()).toEqual([]);
    await test.close();
  });

  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    rawRequest(
      test.url,
      'POST',
      '/oauth2/token',
      { 'content-type': FORM, ...headers },
      new URLSearchParams(fields).toString(),
    );

  async function oauth(fields: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await form(fields, headers);
    return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
  }

  const oauthError = (status: number, error: string, reason: string) => ({
    status,
    body: { error, error_description: expect.any(String) as string, error_reason: reason },
  });

  const credentials = (w: ScimWiring = wiring) => ({
    grant_type: 'client_credentials',
    client_id: w.client.clientId,
    client_secret: w.client.clientSecret,
  });

  const scimGet = (authorization: string | Record<string, string>, path = USERS) =>
    rawRequest(
      test.url,
      'GET',
      path,
      typeof authorization === 'string' ? { authorization } : authorization,
    );

  function expectScimRefusal(response: RawResponse): void {
    expect({
      status: response.status,
      type: response.contentType,
      body: JSON.parse(response.body || 'null') as unknown,
    }).toEqual({
      status: 401,
      type: 'application/scim+json; charset=utf-8',
      body: { schemas: [SCIM_ERROR], status: '401', detail: expect.any(String) as string },
    });
  }

  describe('the two-step example of FusionAuth’s API authentication page', () => {
    it('gets a token with clientCredentialsGrant, then lists SCIM users with it', async () => {
      const email = uniqueEmail('scim-listed');
      await createUser(test, tenantId, { email, password: PASSWORD });
      const scope = `target-entity:${wiring.server.id}:scim:user:read`;
      const answer = await test
        .client(null)
        .clientCredentialsGrant(wiring.client.clientId, wiring.client.clientSecret, scope);
      expect(answer.statusCode).toBe(200);
      const token = answer.response;
      expect(token).toEqual({
        access_token: expect.any(String) as string,
        expires_in: expect.any(Number) as number,
        scope,
        token_type: 'Bearer',
      });
      expect(token.expires_in).toBeGreaterThan(3590);
      expect(token.expires_in).toBeLessThanOrEqual(3600);

      const header = decodeProtectedHeader(token.access_token!);
      const tenant = (await test.client().retrieveTenant(tenantId)).response.tenant!;
      const key = (await test.client().retrieveKey(tenant.jwtConfiguration!.accessTokenKeyId!))
        .response.key!;
      expect(header).toEqual({
        alg: 'HS256',
        typ: 'JWT',
        gty: ['client_credentials'],
        kid: key.kid,
      });
      const claims = decodeJwt(token.access_token!);
      expect(claims).toEqual({
        aud: wiring.server.id,
        exp: expect.any(Number) as number,
        iat: expect.any(Number) as number,
        iss: tenant.issuer,
        sub: wiring.client.id,
        jti: expect.any(String) as string,
        scope,
        tid: tenantId,
        permissions: { [wiring.server.id]: ['scim:user:read'] },
      });
      expect(claims.exp! - claims.iat!).toBe(3600);

      const listed = await scimGet(
        `Bearer ${token.access_token!}`,
        `${USERS}?filter=${encodeURIComponent(`userName eq "${email}"`)}`,
      );
      expect(listed.status).toBe(200);
      expect(listed.contentType).toMatch(/^application\/scim\+json/);
      const body = JSON.parse(listed.body) as { totalResults: number; Resources: object[] };
      expect(body.totalResults).toBe(1);
      expect(body.Resources).toEqual([expect.objectContaining({ userName: email })]);
    });

    it('takes the secret as HTTP Basic as well', async () => {
      const basic = Buffer.from(
        `${encodeURIComponent(wiring.client.clientId)}:${encodeURIComponent(wiring.client.clientSecret)}`,
      ).toString('base64');
      const answer = await oauth(
        { grant_type: 'client_credentials', scope: `target-entity:${wiring.server.id}` },
        { authorization: `Basic ${basic}` },
      );
      expect(answer.status).toBe(200);
      // No permission named: every one the target granted.
      expect(decodeJwt(answer.body.access_token as string).permissions).toEqual({
        [wiring.server.id]: [...SCIM_PERMISSIONS],
      });
    });

    it('issues a token without aud and permissions when no scope is asked', async () => {
      const answer = await oauth(credentials());
      expect(answer.status).toBe(200);
      expect(answer.body).not.toHaveProperty('scope');
      const claims = decodeJwt(answer.body.access_token as string);
      expect(claims).not.toHaveProperty('aud');
      expect(claims).not.toHaveProperty('permissions');
      expect(claims.sub).toBe(wiring.client.id);
      // ... which no SCIM route takes: it names no target.
      expectScimRefusal(await scimGet(`Bearer ${answer.body.access_token as string}`));
    });

    it('names several targets in aud as a list', async () => {
      const other = await createEntity(test, tenantId, wiring.serverTypeId);
      await grant(test, tenantId, other.id, wiring.client.id, ['scim:user:read']);
      const answer = await oauth({
        ...credentials(),
        scope: `target-entity:${wiring.server.id}:scim:group:read target-entity:${other.id}`,
      });
      expect(answer.status).toBe(200);
      const claims = decodeJwt(answer.body.access_token as string);
      expect(claims.aud).toEqual([wiring.server.id, other.id]);
      expect(claims.permissions).toEqual({
        [wiring.server.id]: ['scim:group:read'],
        [other.id]: ['scim:user:read'],
      });
    });

    it('takes a change of the tenant’s issuer and token lifetime at once, the tenant read before it notwithstanding', async () => {
      const otherTenant = await createTenant(test);
      const w = await wireScim(test, otherTenant);
      const issue = async () => {
        const answer = await oauth({
          ...credentials(w),
          scope: `target-entity:${w.server.id}:scim:user:read`,
        });
        expect(answer.status).toBe(200);
        const { iss, exp, iat } = decodeJwt(answer.body.access_token as string);
        return { iss, lifetime: exp! - iat! };
      };
      const before = await issue();
      const issuer = `changed-${randomUUID()}.example.com`;
      const patched = await test.client().patchTenant(otherTenant, {
        tenant: { issuer, jwtConfiguration: { timeToLiveInSeconds: 1234 } },
      });
      expect(patched.statusCode).toBe(200);
      expect(before).not.toEqual({ iss: issuer, lifetime: 1234 });
      expect(await issue()).toEqual({ iss: issuer, lifetime: 1234 });
      // Another tenant's clients are untouched.
      const mine = await oauth({
        ...credentials(),
        scope: `target-entity:${wiring.server.id}:scim:user:read`,
      });
      expect(decodeJwt(mine.body.access_token as string).iss).not.toBe(issuer);
    });

    it('signs with the entity type’s own key and lifetime when its jwtConfiguration is on', async () => {
      const key = (
        await test
          .client()
          .generateKey(NONE, { key: { algorithm: 'ES256' as never, name: `k-${randomUUID()}` } })
      ).response.key!;
      const typeId = await createEntityType(test, [], {
        jwtConfiguration: { enabled: true, accessTokenKeyId: key.id, timeToLiveInSeconds: 120 },
      });
      const client = await createEntity(test, tenantId, typeId);
      await grant(test, tenantId, wiring.server.id, client.id, ['scim:user:read']);
      const answer = await oauth({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        scope: `target-entity:${wiring.server.id}`,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.expires_in).toBeLessThanOrEqual(120);
      expect(decodeProtectedHeader(answer.body.access_token as string)).toMatchObject({
        alg: 'ES256',
        kid: key.kid,
      });
    });
  });

  it('keeps a tenant’s SCIM setting to entity types that exist', async () => {
    const codes = await refusalCodes(
      test.client().patchTenant(tenantId, {
        tenant: {
          scimServerConfiguration: {
            enabled: true,
            serverEntityTypeId: randomUUID(),
            clientEntityTypeId: wiring.clientTypeId,
          },
        },
      }),
    );
    expect(codes).toEqual(['[invalid]tenant.scimServerConfiguration.serverEntityTypeId']);
  });

  describe('the token endpoint refuses', () => {
    let foreign: ScimWiring;
    let ungranted: string;

    beforeAll(async () => {
      foreign = await wireScim(test, await createTenant(test));
      ungranted = (await createEntity(test, tenantId, wiring.serverTypeId)).id;
    });

    it.each([
      [
        'a wrong secret',
        () => ({ ...credentials(), client_secret: 'not-the-secret-at-all' }),
        oauthError(401, 'invalid_client', 'invalid_client_authentication'),
      ],
      [
        'an unknown client',
        () => ({ ...credentials(), client_id: randomUUID() }),
        oauthError(401, 'invalid_client', 'invalid_client_id'),
      ],
      [
        'no secret',
        () => ({ grant_type: 'client_credentials', client_id: wiring.client.clientId }),
        oauthError(401, 'invalid_client', 'missing_client_secret'),
      ],
      [
        'no client',
        () => ({ grant_type: 'client_credentials' }),
        oauthError(401, 'invalid_client', 'client_authentication_missing'),
      ],
      [
        'an ungranted permission',
        () => ({
          ...credentials(),
          scope: `target-entity:${wiring.server.id}:scim:user:read,scim:user:nope`,
        }),
        oauthError(400, 'invalid_scope', 'invalid_entity_permission_scope'),
      ],
      [
        'an unknown target',
        () => ({ ...credentials(), scope: `target-entity:${randomUUID()}:scim:user:read` }),
        oauthError(400, 'invalid_scope', 'invalid_target_entity_scope'),
      ],
      [
        'a target that granted nothing',
        () => ({ ...credentials(), scope: `target-entity:${ungranted}` }),
        oauthError(400, 'invalid_scope', 'invalid_target_entity_scope'),
      ],
      [
        'a target of another tenant',
        () => ({ ...credentials(), scope: `target-entity:${foreign.server.id}` }),
        oauthError(400, 'invalid_scope', 'invalid_target_entity_scope'),
      ],
      [
        'a malformed scope',
        () => ({ ...credentials(), scope: 'openid offline_access' }),
        oauthError(400, 'invalid_scope', 'invalid_target_entity_scope'),
      ],
      [
        'a hostile scope',
        () => ({
          ...credentials(),
          scope: `target-entity:${wiring.server.id}:'; DROP TABLE entities; --`,
        }),
        oauthError(400, 'invalid_scope', 'invalid_target_entity_scope'),
      ],
      [
        'a hostile permission name',
        () => ({
          ...credentials(),
          scope: `target-entity:${wiring.server.id}:scim:user:read,'--\u0000<script>`,
        }),
        oauthError(400, 'invalid_scope', 'invalid_entity_permission_scope'),
      ],
      [
        'a tenantId of another tenant',
        () => ({ ...credentials(), tenantId: foreign.tenantId }),
        oauthError(401, 'invalid_client', 'invalid_client_id'),
      ],
    ])('%s', async (_, fields, expected) => {
      expect(await oauth(fields())).toEqual(expected);
    });

    it('a secret in the form and as HTTP Basic at once', async () => {
      const basic = Buffer.from(`${wiring.client.clientId}:${wiring.client.clientSecret}`).toString(
        'base64',
      );
      expect(await oauth(credentials(), { authorization: `Basic ${basic}` })).toEqual(
        oauthError(400, 'invalid_request', 'invalid_client_authentication'),
      );
    });

    it('two different client ids', async () => {
      const basic = Buffer.from(
        `${foreign.client.clientId}:${foreign.client.clientSecret}`,
      ).toString('base64');
      expect(
        await oauth(
          { grant_type: 'client_credentials', client_id: wiring.client.clientId },
          { authorization: `Basic ${basic}` },
        ),
      ).toEqual(oauthError(400, 'invalid_request', 'client_id_mismatch'));
    });

    it('what the FusionAuth client sees: an OAuthError in exception', async () => {
      const refused = await failure(
        test.client(null).clientCredentialsGrant(wiring.client.clientId, 'wrong-secret-value', ''),
      );
      expect(refused.statusCode).toBe(401);
      expect(refused.exception).toMatchObject({ error: 'invalid_client' });
    });

    it('an application’s client id is no entity', async () => {
      const applicationId = (
        await test
          .client(undefined, tenantId)
          .createApplication(NONE, { application: { name: `a-${randomUUID()}` } })
      ).response.application!.id!;
      expect((await oauth({ ...credentials(), client_id: applicationId })).status).toBe(401);
    });
  });

  describe('SCIM routes take only a token whose target granted the permission', () => {
    let token: string;

    beforeAll(async () => {
      token = await scimToken(test, wiring);
    });

    it('accepts the token (control)', async () => {
      expect((await scimGet(`Bearer ${token}`)).status).toBe(200);
    });

    it('refuses a token without the route’s permission', async () => {
      const readOnly = await scimToken(test, wiring, ['scim:group:read']);
      expectScimRefusal(await scimGet(`Bearer ${readOnly}`));
      expect((await scimGet(`Bearer ${readOnly}`, '/api/scim/resource/v2/Groups')).status).toBe(
        200,
      );
    });

    it('refuses a token for another target (not the tenant’s SCIM server type)', async () => {
      const typeId = await createEntityType(test, ['scim:user:read']);
      const target = await createEntity(test, tenantId, typeId);
      await grant(test, tenantId, target.id, wiring.client.id, ['scim:user:read']);
      const answer = await oauth({ ...credentials(), scope: `target-entity:${target.id}` });
      expect(answer.status).toBe(200);
      expectScimRefusal(await scimGet(`Bearer ${answer.body.access_token as string}`));
    });

    it('refuses a recipient that is not of the SCIM client type', async () => {
      const stranger = await createEntity(test, tenantId, wiring.serverTypeId);
      await grant(test, tenantId, wiring.server.id, stranger.id, ['scim:user:read']);
      const answer = await oauth({
        grant_type: 'client_credentials',
        client_id: stranger.clientId,
        client_secret: stranger.clientSecret,
        scope: `target-entity:${wiring.server.id}`,
      });
      expect(answer.status).toBe(200);
      expectScimRefusal(await scimGet(`Bearer ${answer.body.access_token as string}`));
    });

    it('refuses a user JWT, as Bearer, JWT or cookie', async () => {
      const email = uniqueEmail('scim-user');
      await createUser(test, tenantId, { email, password: PASSWORD });
      const login = await test
        .client(undefined, tenantId)
        .login({ loginId: email, password: PASSWORD });
      const jwt = login.response.token!;
      expectScimRefusal(await scimGet(`Bearer ${jwt}`));
      expectScimRefusal(await scimGet(`JWT ${jwt}`));
      expectScimRefusal(await scimGet({ cookie: `access_token=${jwt}` }));
    });

    it('refuses an API key, raw or Basic, even a super key of the tenant', async () => {
      const { key } = await createKey(test, {}, tenantId);
      expectScimRefusal(await scimGet(key));
      expectScimRefusal(await scimGet(test.managerKey));
      expectScimRefusal(await scimGet(`Basic ${Buffer.from(`apikey:${key}`).toString('base64')}`));
    });

    it('refuses the client token under the JWT scheme, and with a tenant header of another tenant', async () => {
      expectScimRefusal(await scimGet(`JWT ${token}`));
      const other = await createTenant(test);
      expectScimRefusal(
        await scimGet({ authorization: `Bearer ${token}`, 'x-fusionauth-tenantid': other }),
      );
      expect(
        (await scimGet({ authorization: `Bearer ${token}`, 'x-fusionauth-tenantid': tenantId }))
          .status,
      ).toBe(200);
    });

    it('refuses once the grant is revoked, and again once it is given back', async () => {
      const own = await wireScim(test, tenantId);
      const held = `Bearer ${await scimToken(test, own)}`;
      expect((await scimGet(held)).status).toBe(200);
      await test.client(undefined, tenantId).deleteEntityGrant(own.server.id, own.client.id, NONE);
      expectScimRefusal(await scimGet(held));
      await grant(test, tenantId, own.server.id, own.client.id, ['scim:user:read']);
      expect((await scimGet(held)).status).toBe(200);
      // Narrowed to a permission the route does not need: refused again.
      await grant(test, tenantId, own.server.id, own.client.id, ['scim:group:read']);
      expectScimRefusal(await scimGet(held));
    });

    it('refuses once the recipient entity is deleted', async () => {
      const own = await wireScim(test, tenantId);
      const held = `Bearer ${await scimToken(test, own)}`;
      expect((await scimGet(held)).status).toBe(200);
      await test.client(undefined, tenantId).deleteEntity(own.client.id);
      expectScimRefusal(await scimGet(held));
    });

    it('refuses once the tenant turns SCIM off', async () => {
      const otherTenant = await createTenant(test);
      const own = await wireScim(test, otherTenant);
      const held = `Bearer ${await scimToken(test, own)}`;
      expect((await scimGet(held)).status).toBe(200);
      await test
        .client()
        .patchTenant(otherTenant, { tenant: { scimServerConfiguration: { enabled: false } } });
      expectScimRefusal(await scimGet(held));
    });

    describe('forged and damaged tokens', () => {
      let forgedTenant: string;
      let forge: (claims?: object, header?: object) => Promise<string>;
      let own: ScimWiring;

      beforeAll(async () => {
        const kit = await forgeryKit(test);
        forgedTenant = kit.tenantId;
        own = await wireScim(test, forgedTenant);
        forge = (claims = {}, header = {}) =>
          Promise.resolve(
            kit.signRaw(
              { alg: 'HS256', typ: 'JWT', kid: kit.kid, gty: ['client_credentials'], ...header },
              {
                aud: own.server.id,
                sub: own.client.id,
                iss: kit.issuer,
                tid: forgedTenant,
                iat: now(),
                exp: now() + 600,
                jti: randomUUID(),
                permissions: { [own.server.id]: ['scim:user:read'] },
                ...claims,
              },
            ),
          );
      });

      it('accepts a token made as the token endpoint makes them (control)', async () => {
        expect((await scimGet(`Bearer ${await forge()}`)).status).toBe(200);
      });

      it.each([
        ['without gty (a user token’s shape)', {}, { gty: undefined }],
        ['with alg none', {}, { alg: 'none' }],
        ['naming an unknown kid', {}, { kid: 'no-such-kid' }],
        ['carrying its own key (jwk)', {}, { jwk: { kty: 'oct', k: 'AAAA' } }],
        ['with crit', {}, { crit: ['exp'] }],
        ['expired', { exp: now() - 3600, iat: now() - 7200 }, {}],
        ['of another issuer', { iss: 'evil.example' }, {}],
        ['of another tenant id', { tid: randomUUID() }, {}],
        ['of an unknown entity', { sub: randomUUID() }, {}],
        ['with permissions as a list', { permissions: ['scim:user:read'] }, {}],
        [
          'with permissions for a target that granted none',
          { permissions: { [randomUUID()]: ['scim:user:read'] } },
          {},
        ],
        ['without tid', { tid: undefined }, {}],
      ])('refuses a token %s', async (_, claims, header) => {
        expectScimRefusal(await scimGet(`Bearer ${await forge(claims, header)}`));
      });

      it('refuses a bad signature and a truncated token', async () => {
        const good = await forge();
        expectScimRefusal(await scimGet(`Bearer ${good.slice(0, -4)}AAAA`));
        expectScimRefusal(await scimGet(`Bearer ${good.split('.').slice(0, 2).join('.')}`));
        expectScimRefusal(
          await scimGet(
            `Bearer ${hmacSigned({ alg: 'HS256', kid: 'x', gty: ['client_credentials'] }, { sub: own.client.id }, Buffer.from('guess'))}`,
          ),
        );
        expectScimRefusal(
          await scimGet(`Bearer ${handBuilt({ alg: 'none', gty: ['client_credentials'] }, {})}`),
        );
        expectScimRefusal(await scimGet('Bearer '));
      });

      it('refuses a client token on a user-JWT route', async () => {
        const response = await rawRequest(test.url, 'GET', '/api/jwt/validate', {
          authorization: `Bearer ${await forge()}`,
        });
        expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: '' });
      });
    });
  });

  describe('POST /oauth2/introspect', () => {
    const introspect = async (fields: Record<string, string>) => {
      const response = await rawRequest(
        test.url,
        'POST',
        '/oauth2/introspect',
        { 'content-type': FORM },
        new URLSearchParams(fields).toString(),
      );
      return {
        status: response.status,
        body: JSON.parse(response.body) as Record<string, unknown>,
      };
    };

    it('answers active with the claims, through the FusionAuth client', async () => {
      const token = await scimToken(test, wiring, ['scim:user:read']);
      const answer = await test.client(null).introspectClientCredentialsAccessToken(token);
      expect(answer.statusCode).toBe(200);
      expect(answer.response).toEqual({ active: true, ...decodeJwt(token) });
    });

    it.each([
      ['garbage', () => Promise.resolve('not.a.token')],
      ['a forged signature', async () => `${(await scimToken(test, wiring)).slice(0, -4)}AAAA`],
    ])('answers only active false for %s', async (_, token) => {
      expect(await introspect({ token: await token() })).toEqual({
        status: 200,
        body: { active: false },
      });
    });

    it('answers active false for a user’s token', async () => {
      const email = uniqueEmail('introspected');
      await createUser(test, tenantId, { email, password: PASSWORD });
      const login = await test
        .client(undefined, tenantId)
        .login({ loginId: email, password: PASSWORD });
      expect(await introspect({ token: login.response.token! })).toEqual({
        status: 200,
        body: { active: false },
      });
    });

    it('answers active false once the entity is deleted, or its key is', async () => {
      const key = (
        await test
          .client()
          .generateKey(NONE, { key: { algorithm: 'HS256' as never, name: `k-${randomUUID()}` } })
      ).response.key!;
      const typeId = await createEntityType(test, [], {
        jwtConfiguration: { enabled: true, accessTokenKeyId: key.id, timeToLiveInSeconds: 600 },
      });
      const client = await createEntity(test, tenantId, typeId);
      const issue = async (c = client) =>
        (
          await oauth({
            grant_type: 'client_credentials',
            client_id: c.clientId,
            client_secret: c.clientSecret,
          })
        ).body.access_token as string;
      const signedByKey = await issue();
      expect((await introspect({ token: signedByKey })).body.active).toBe(true);
      const type = (await test.client().retrieveEntityType(typeId)).response.entityType!;
      await test.client().updateEntityType(typeId, {
        entityType: { name: type.name, jwtConfiguration: { enabled: false } },
      });
      await test.client().deleteKey(key.id!);
      expect(await introspect({ token: signedByKey })).toEqual({
        status: 200,
        body: { active: false },
      });

      const second = await createEntity(test, tenantId, typeId);
      const gone = await issue(second);
      expect((await introspect({ token: gone })).body.active).toBe(true);
      await test.client(undefined, tenantId).deleteEntity(second.id);
      expect(await introspect({ token: gone })).toEqual({ status: 200, body: { active: false } });
    });

    it('answers active false for a tenantId other than the token’s', async () => {
      const token = await scimToken(test, wiring);
      expect((await introspect({ token, tenantId: randomUUID() })).body).toEqual({ active: false });
      expect((await introspect({ token, tenantId })).body.active).toBe(true);
    });

    it.each([
      ['no token', {}],
      ['a token sent twice', 'token=a&token=b'],
    ])('is invalid_request with %s', async (_, fields) => {
      const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
      const response = await rawRequest(
        test.url,
        'POST',
        '/oauth2/introspect',
        { 'content-type': FORM },
        body,
      );
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_request' });
    });

    it('is invalid_request for a JSON body', async () => {
      const response = await rawRequest(
        test.url,
        'POST',
        '/oauth2/introspect',
        { 'content-type': 'application/json' },
        JSON.stringify({ token: 'x' }),
      );
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_request' });
    });
  });
});

import FusionAuthClient from '@fusionauth/typescript-client';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { rawRequest } from '../support/http';

const NONE = null as unknown as string;

/** Key publication and OpenID Connect discovery, through the client and by hand, with no credentials. */
describe.each(dialects())('key publication and discovery (%s)', (dialect) => {
  let test: TestApp;
  let anonymous: FusionAuthClient;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaPublic = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const rsaPrivate = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const secret = randomBytes(32).toString('base64');
  let rsaKey: { id: string; kid: string };
  let hmacKey: { id: string; kid: string };
  let ecKey: { id: string; kid: string };
  const bodies: string[] = [];

  beforeAll(async () => {
    test = await startApp(dialect);
    test.watch.add(secret);
    anonymous = new FusionAuthClient(NONE, test.url);
    const imported = async (key: object) => {
      const made = (await test.client().importKey(NONE, { key: { name: randomUUID(), ...key } }))
        .response.key!;
      return { id: made.id!, kid: made.kid! };
    };
    rsaKey = await imported({ algorithm: 'RS256', publicKey: rsaPublic, privateKey: rsaPrivate });
    hmacKey = await imported({ algorithm: 'HS256', secret });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    ecKey = await imported({
      publicKey: ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
  });
  afterAll(async () => {
    // Nothing published may carry a private key or an HMAC secret.
    for (const body of bodies) {
      expect(body).not.toContain(secret);
      for (const line of rsaPrivate.split('\n').filter((text) => text.length > 40))
        expect(body).not.toContain(line);
    }
    await test?.close();
  });

  const keep = <T>(value: T): T => {
    bodies.push(JSON.stringify(value));
    return value;
  };

  it('publishes every public key by kid, and no HMAC key', async () => {
    const all = keep((await anonymous.retrieveJWTPublicKeys()).response.publicKeys!);
    expect(all[rsaKey.kid]).toBe(rsaPublic);
    expect(all[ecKey.kid]).toContain('BEGIN PUBLIC KEY');
    expect(all).not.toHaveProperty(hmacKey.kid);
    expect(keep((await anonymous.retrieveJWTPublicKey(rsaKey.kid)).response.publicKey)).toBe(
      rsaPublic,
    );
    for (const kid of [
      hmacKey.kid,
      'no-such-kid',
      "'; DROP TABLE signing_keys; --",
      'k'.repeat(10_000),
    ]) {
      const refused = await failure(anonymous.retrieveJWTPublicKey(kid));
      expect({ status: refused.statusCode, body: refused.exception }).toEqual({
        status: 404,
        body: undefined,
      });
    }
  });

  it("publishes the key that signs an application's tokens", async () => {
    const tenantId = await createTenant(test);
    const client = test.client(test.managerKey, tenantId);
    const own = await client.createApplication(NONE, {
      application: {
        name: 'signed by RSA',
        jwtConfiguration: { enabled: true, accessTokenKeyId: rsaKey.id },
      },
    });
    const plain = await client.createApplication(NONE, {
      application: { name: 'signed by the tenant' },
    });
    const byApplication = await anonymous.retrieveJWTPublicKeyByApplicationId(
      own.response.application!.id!,
    );
    expect(keep(byApplication.response.publicKey)).toBe(rsaPublic);
    // The tenant's own key is HMAC: nothing to publish.
    for (const id of [plain.response.application!.id!, randomUUID()]) {
      const refused = await failure(anonymous.retrieveJWTPublicKeyByApplicationId(id));
      expect(refused.statusCode).toBe(404);
    }
    const malformed = await failure(anonymous.retrieveJWTPublicKeyByApplicationId('nope'));
    expect(malformed.statusCode).toBe(400);
  });

  it('publishes a JWK set that verifies what the private key signed, without HMAC keys', async () => {
    const { keys } = keep((await anonymous.retrieveJsonWebKeySet()).response);
    const published = keys!.find((key) => key.kid === rsaKey.kid)!;
    expect(published).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys!.map((key) => key.kid)).not.toContain(hmacKey.kid);
    expect(keys!.find((key) => key.kid === ecKey.kid)).toMatchObject({ kty: 'EC', crv: 'P-256' });
    for (const key of keys!) {
      expect(key).not.toHaveProperty('d');
      expect(key).not.toHaveProperty('k');
    }
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: rsaKey.kid })
      .sign(rsa.privateKey);
    const verified = await jwtVerify(token, await importJWK(published as never, 'RS256'));
    expect(verified.payload.sub).toBe('x');
    const generated = (
      await test.client().generateKey(NONE, {
        key: { name: randomUUID(), algorithm: 'ES256' as never },
      })
    ).response.key!;
    const withCertificate = (await anonymous.retrieveJsonWebKeySet()).response.keys!.find(
      (key) => key.kid === generated.kid,
    )!;
    expect(withCertificate.x5c).toHaveLength(1);
    expect(withCertificate.x5t).toMatch(/^[A-Za-z0-9_-]{27}$/);
  });

  it('describes itself for OpenID Connect discovery, per tenant', async () => {
    const config = keep((await anonymous.retrieveOpenIdConfiguration()).response);
    expect(config).toMatchObject({
      issuer: 'acme.com',
      jwks_uri: `${test.url}/.well-known/jwks.json`,
      token_endpoint: `${test.url}/oauth2/token`,
      subject_types_supported: ['public'],
    });
    const issuer = `https://${randomUUID()}.example`;
    const tenant = await test
      .client()
      .createTenant(NONE, { tenant: { name: randomUUID(), issuer } });
    const tenantId = tenant.response.tenant!.id!;
    for (const path of [
      `/${tenantId}/.well-known/openid-configuration`,
      `/.well-known/openid-configuration?tenantId=${tenantId}`,
    ]) {
      const response = await rawRequest(test.url, 'GET', path);
      expect((JSON.parse(response.body) as { issuer: string }).issuer).toBe(issuer);
    }
    for (const path of [
      `/${randomUUID()}/.well-known/openid-configuration`,
      '/not-a-uuid/.well-known/openid-configuration',
      `/.well-known/openid-configuration?tenantId=${randomUUID()}`,
    ]) {
      const response = await rawRequest(test.url, 'GET', path);
      expect({ status: response.status, body: response.body }).toEqual({ status: 404, body: '' });
    }
  });

  it("follows a tenant's change at once: a new issuer, the Default tenant's, a tenant created after it was asked for", async () => {
    const issuerAt = async (path: string) => {
      const response = await rawRequest(test.url, 'GET', path);
      return response.status === 200
        ? (JSON.parse(response.body) as { issuer: string }).issuer
        : response.status;
    };
    const tenantId = randomUUID();
    const path = `/${tenantId}/.well-known/openid-configuration`;
    expect(await issuerAt(path)).toBe(404);
    await test
      .client()
      .createTenant(tenantId, { tenant: { name: randomUUID(), issuer: 'first.example' } });
    expect(await issuerAt(path)).toBe('first.example');
    await test.client().patchTenant(tenantId, { tenant: { issuer: 'second.example' } });
    expect(await issuerAt(path)).toBe('second.example');

    const defaultId = (await test.client().retrieveTenants()).response.tenants!.find(
      (tenant) => tenant.name === 'Default',
    )!.id!;
    const before = await issuerAt('/.well-known/openid-configuration');
    try {
      await test.client().patchTenant(defaultId, { tenant: { issuer: 'default.example' } });
      expect(await issuerAt('/.well-known/openid-configuration')).toBe('default.example');
    } finally {
      await test.client().patchTenant(defaultId, { tenant: { issuer: before as string } });
    }
    expect(await issuerAt('/.well-known/openid-configuration')).toBe(before);
  });

  it('builds no URL from a Host header that is not a plain host', async () => {
    for (const host of ['evil.example/path', 'evil.example"><script>', 'a b']) {
      const response = await rawRequest(test.url, 'GET', '/.well-known/openid-configuration', {
        host,
      });
      const config = JSON.parse(response.body) as { jwks_uri: string };
      expect(config.jwks_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json$/);
    }
  });
});

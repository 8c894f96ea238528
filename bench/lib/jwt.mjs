// User JWTs for the bench: signing keys whose secrets the harness knows, imported through the
// Key API and made the signing keys of two tenants, a user in each, and tokens signed here.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { expect } from './http.mjs';

const HOURS = 3600;

async function importKey(url, managerKey, key) {
  const body = await expect(200, `${url}/api/key/import`, {
    method: 'POST',
    headers: { authorization: managerKey },
    json: { key: { name: `bench-${randomUUID()}`, ...key } },
  });
  return body.key;
}

async function tenantSignedBy(url, managerKey, keyId) {
  const body = await expect(200, `${url}/api/tenant`, {
    method: 'POST',
    headers: { authorization: managerKey },
    json: { tenant: { name: `bench-${randomUUID()}`, jwtConfiguration: { accessTokenKeyId: keyId } } },
  });
  return body.tenant;
}

async function userIn(url, managerKey, tenantId) {
  const body = await expect(200, `${url}/api/user`, {
    method: 'POST',
    headers: { authorization: managerKey, 'x-fusionauth-tenantid': tenantId },
    json: { user: { email: `jwt-${randomUUID()}@example.com`, password: 'correct horse battery staple' } },
  });
  return body.user;
}

/**
 * Sets up an HS256 tenant and an RS256 tenant on `url` and returns `count` distinct tokens of
 * each (a fresh `jti` each), valid for two hours.
 */
export async function prepareJwts(url, managerKey, count) {
  const secret = randomBytes(32).toString('base64');
  const hmac = await importKey(url, managerKey, { algorithm: 'HS256', secret });
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const rsa = await importKey(url, managerKey, {
    algorithm: 'RS256',
    privateKey: privatePem,
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  const signers = {
    HS256: { key: Buffer.from(secret, 'utf8'), meta: hmac },
    RS256: { key: await importPKCS8(privatePem, 'RS256'), meta: rsa },
  };
  const tokens = {};
  for (const [alg, { key, meta }] of Object.entries(signers)) {
    const tenant = await tenantSignedBy(url, managerKey, meta.id);
    const user = await userIn(url, managerKey, tenant.id);
    const now = Math.floor(Date.now() / 1000);
    tokens[alg] = [];
    for (let i = 0; i < count; i++) {
      tokens[alg].push(
        await new SignJWT({
          sub: user.id,
          tid: tenant.id,
          iss: tenant.issuer,
          email: user.email,
          authenticationType: 'PASSWORD',
          jti: randomUUID(),
        })
          .setProtectedHeader({ alg, typ: 'JWT', kid: meta.kid })
          .setIssuedAt(now)
          .setExpirationTime(now + 2 * HOURS)
          .sign(key),
      );
    }
  }
  return tokens;
}

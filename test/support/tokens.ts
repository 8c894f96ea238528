import { JWTPayload, SignJWT } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import type { TestApp } from './app';
import { createTenant } from './app';

const NONE = null as unknown as string;

/**
 * A tenant whose access tokens are signed by an HMAC key whose secret the test knows, so a
 * test can forge tokens of every shape, good and bad, as an attacker or a clock would.
 */
export interface ForgeryKit {
  readonly tenantId: string;
  readonly issuer: string;
  readonly keyId: string;
  readonly kid: string;
  readonly secret: Uint8Array;
  /** A token as Portcullis would issue it for `userId`, with `claims` and `header` laid over. */
  sign(userId: string, claims?: JWTPayload, header?: Record<string, unknown>): Promise<string>;
}

export async function forgeryKit(test: TestApp, tenantId?: string): Promise<ForgeryKit> {
  const tenant = tenantId ?? (await createTenant(test));
  const secretText = randomBytes(32).toString('base64');
  test.watch.add(secretText);
  const imported = await test.client().importKey(NONE, {
    key: { name: `forgery-${randomUUID()}`, algorithm: 'HS256' as never, secret: secretText },
  });
  const key = imported.response.key!;
  const retrieved = await test.client().retrieveTenant(tenant);
  const issuer = retrieved.response.tenant!.issuer!;
  await test.client().patchTenant(tenant, {
    tenant: { jwtConfiguration: { accessTokenKeyId: key.id } },
  });
  const secret = new TextEncoder().encode(secretText);
  return {
    tenantId: tenant,
    issuer,
    keyId: key.id!,
    kid: key.kid!,
    secret,
    sign: (userId, claims = {}, header = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        sub: userId,
        iss: issuer,
        tid: tenant,
        iat: now,
        exp: now + 600,
        jti: randomUUID(),
        authenticationType: 'PASSWORD',
        ...claims,
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid!, ...header })
        .sign(secret);
    },
  };
}

import {
  createHmac,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  randomUUID,
  sign as signDigest,
} from 'node:crypto';
import type { TestApp } from './app';
import { createTenant } from './app';

const NONE = null as unknown as string;

/** Where a kit is made: an in-process app, or a replica reached by the client (no log to watch). */
export type ForgeryHost = Pick<TestApp, 'client'> & { watch?: Pick<TestApp['watch'], 'add'> };

export type ForgeryAlgorithm = 'HS256' | 'RS256' | 'ES256';

export type JwtPart = Record<string, unknown>;

/**
 * A tenant whose access tokens are signed by a key whose secret (HMAC) or private key
 * (RSA, EC) the test knows, so a test can forge tokens of every shape, good and bad, as an
 * attacker or a clock would.
 */
export interface ForgeryKit {
  readonly tenantId: string;
  readonly issuer: string;
  readonly keyId: string;
  readonly kid: string;
  readonly algorithm: ForgeryAlgorithm;
  /** The HMAC secret (empty for a key pair). */
  readonly secret: Uint8Array;
  /** The public key as Portcullis holds it (SPKI PEM); null for an HMAC key. */
  readonly publicKeyPem: string | null;
  /** A token as Portcullis would issue it for `userId`, with `claims` and `header` laid over. */
  sign(userId: string, claims?: JwtPart, header?: JwtPart): Promise<string>;
  /** The claims `sign` would put in a token for `userId`, with `claims` laid over. */
  claims(userId: string, claims?: JwtPart): JwtPart;
  /** Exactly this header and payload, signed by the kit's key (HMAC: as the header's `alg` says). */
  signRaw(header: JwtPart, payload: JwtPart | string): string;
}

export const segment = (part: JwtPart | string): string =>
  Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url');

/** A token put together by hand: no library checks what goes in. */
export function handBuilt(header: JwtPart | string, payload: JwtPart | string, signature = '') {
  return `${segment(header)}.${segment(payload)}.${signature}`;
}

const HASHES: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** HMAC over the first two segments with any secret (also a public key's PEM bytes). */
export function hmacSigned(header: JwtPart, payload: JwtPart | string, secret: Uint8Array): string {
  const alg = String(header.alg);
  const input = `${segment(header)}.${segment(payload)}`;
  const mac = createHmac(HASHES[alg.slice(2)] ?? 'sha256', secret)
    .update(input)
    .digest('base64url');
  return `${input}.${mac}`;
}

function pairSigned(header: JwtPart, payload: JwtPart | string, privateKey: KeyObject): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const signature = signDigest(
    HASHES[String(header.alg).slice(2)] ?? 'sha256',
    Buffer.from(input),
    {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    },
  );
  return `${input}.${signature.toString('base64url')}`;
}

interface Material {
  request: Record<string, unknown>;
  secret: Uint8Array;
  privateKey: KeyObject | null;
  publicKeyPem: string | null;
}

function material(test: ForgeryHost, algorithm: ForgeryAlgorithm): Material {
  if (algorithm === 'HS256') {
    const secretText = randomBytes(32).toString('base64');
    test.watch?.add(secretText);
    return {
      request: { secret: secretText },
      secret: new TextEncoder().encode(secretText),
      privateKey: null,
      publicKeyPem: null,
    };
  }
  const pair =
    algorithm === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  test.watch?.add(privatePem.split('\n')[1]);
  return {
    request: { privateKey: privatePem },
    secret: new Uint8Array(),
    privateKey: pair.privateKey,
    publicKeyPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * Imports a key of `algorithm` (POST /api/key/import, the material made here), makes it the
 * tenant's access-token key (a new tenant unless one is given) and forges with it.
 */
export async function forgeryKit(
  test: ForgeryHost,
  tenantId?: string,
  algorithm: ForgeryAlgorithm = 'HS256',
): Promise<ForgeryKit> {
  const tenant = tenantId ?? (await createTenant(test));
  const made = material(test, algorithm);
  const imported = await test.client().importKey(NONE, {
    key: { name: `forgery-${randomUUID()}`, algorithm: algorithm as never, ...made.request },
  });
  const key = imported.response.key!;
  const retrieved = await test.client().retrieveTenant(tenant);
  const issuer = retrieved.response.tenant!.issuer!;
  await test.client().patchTenant(tenant, {
    tenant: { jwtConfiguration: { accessTokenKeyId: key.id } },
  });
  const claims = (userId: string, over: JwtPart = {}): JwtPart => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: userId,
      iss: issuer,
      tid: tenant,
      iat: now,
      exp: now + 600,
      jti: randomUUID(),
      authenticationType: 'PASSWORD',
      ...over,
    };
  };
  const signRaw = (header: JwtPart, payload: JwtPart | string) =>
    made.privateKey === null
      ? hmacSigned(header, payload, made.secret)
      : pairSigned(header, payload, made.privateKey);
  return {
    tenantId: tenant,
    issuer,
    keyId: key.id!,
    kid: key.kid!,
    algorithm,
    secret: made.secret,
    publicKeyPem: key.publicKey ?? made.publicKeyPem,
    signRaw,
    claims,
    sign: (userId, over = {}, header = {}) =>
      Promise.resolve(
        signRaw({ alg: algorithm, typ: 'JWT', kid: key.kid!, ...header }, claims(userId, over)),
      ),
  };
}

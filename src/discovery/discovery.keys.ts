import { exportJWK, JWK } from 'jose';
import { createHash, X509Certificate } from 'node:crypto';
import { SigningKeyHandle } from '../signing-key/signing-key.store';

/** Keys that may be published: those with a public key (never an HMAC key). */
export function publishable(keys: readonly SigningKeyHandle[]): SigningKeyHandle[] {
  return keys.filter((key) => key.publicKey !== null);
}

/**
 * A key as a JWK (RFC 7517): the public part, made by jose, with `alg`, `use` and `kid`,
 * and for a key with a certificate its chain of one (`x5c`) and thumbprints (`x5t`,
 * `x5t#S256`), as FusionAuth publishes them.
 */
export async function toJwk(key: SigningKeyHandle): Promise<JWK> {
  const jwk: JWK = {
    ...(await exportJWK(key.verifying)),
    alg: key.jwsAlgorithm,
    use: 'sig',
    kid: key.kid,
  };
  if (key.certificate === null) return jwk;
  const der = new X509Certificate(key.certificate).raw;
  return {
    ...jwk,
    x5c: [der.toString('base64')],
    x5t: createHash('sha1').update(der).digest('base64url'),
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
}

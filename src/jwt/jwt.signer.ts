import { Injectable } from '@nestjs/common';
import { JWTPayload, SignJWT } from 'jose';
import { newId } from '../common/uuid';
import { SigningKeyStore } from '../signing-key/signing-key.store';

export interface SignedToken {
  readonly token: string;
  /** Epoch milliseconds (FusionAuth's `tokenExpirationInstant`). */
  readonly expirationInstant: number;
}

export interface SigningOptions {
  /** Seconds from now; ignored when `expiresAt` is given. */
  readonly timeToLiveInSeconds: number;
  /** Seconds since the epoch: a token that must end when another does. */
  readonly expiresAt?: number;
  /** Extra protected-header members (`gty` for OAuth grants). */
  readonly header?: Record<string, unknown>;
}

/** Signs JWTs with a stored key, as FusionAuth: header `{alg, typ: "JWT", kid}`. */
@Injectable()
export class JwtSigner {
  constructor(private readonly keys: SigningKeyStore) {}

  async sign(claims: JWTPayload, keyId: string, options: SigningOptions): Promise<SignedToken> {
    const key = await this.keys.byId(keyId);
    if (key === null || key.signing === null)
      throw new Error(`signing key ${keyId} cannot sign (missing, or a public key only)`);
    const now = Math.floor(Date.now() / 1000);
    const exp = options.expiresAt ?? now + options.timeToLiveInSeconds;
    const token = await new SignJWT({ ...claims, jti: claims.jti ?? newId() })
      .setProtectedHeader({ ...options.header, alg: key.jwsAlgorithm, typ: 'JWT', kid: key.kid })
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(key.signing);
    return { token, expirationInstant: exp * 1000 };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  decodeProtectedHeader,
  errors,
  JWTPayload,
  jwtVerify,
  ProtectedHeaderParameters,
} from 'jose';
import { hash } from 'node:crypto';
import { isUuid } from '../common/uuid';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { Metrics } from '../metrics/metrics.service';
import { SigningKeyHandle, SigningKeyStore } from '../signing-key/signing-key.store';
import { chain, JwtStanding, StandingRefusal } from './jwt.standing';

/** A user's access token that verified and still stands. */
export interface VerifiedJwt {
  readonly claims: Readonly<JWTPayload>;
  readonly userId: string;
  readonly tenantId: string;
  /** The `applicationId` claim: set only when the user is registered for the application. */
  readonly applicationId: string | null;
  readonly sessionId: string | null;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

/** Why a token was refused; never told to the caller (every refusal is the same 401). */
export type JwtRefusal =
  | 'malformed'
  | 'alg_none'
  | 'key_in_header'
  | 'crit'
  | 'not_a_user_token'
  | 'unknown_kid'
  | 'alg_mismatch'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'claims'
  | StandingRefusal;

export type JwtVerdict = VerifiedJwt | JwtRefusal;

/** Header members that would let the token choose its own key: never honoured. */
const KEY_IN_HEADER = ['jku', 'x5u', 'jwk', 'x5c'] as const;
const MAX_TOKEN_LENGTH = 16 * 1024;

interface Remembered {
  readonly verified: VerifiedJwt;
  readonly keyId: string;
  readonly kid: string;
}

/** A header that may be judged before any key is looked up; a refusal otherwise. */
function screenHeader(token: string): ProtectedHeaderParameters | JwtRefusal {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return 'malformed';
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return 'malformed';
  }
  if (token.split('.').length !== 3) return 'malformed';
  if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') return 'alg_none';
  if (KEY_IN_HEADER.some((member) => member in header)) return 'key_in_header';
  // No extension is understood here, so any `crit` names one that is not (RFC 7515 §4.1.11).
  if ('crit' in header) return 'crit';
  const gty: unknown = header.gty;
  if (Array.isArray(gty) && gty.includes('client_credentials')) return 'not_a_user_token';
  if (typeof header.kid !== 'string') return 'unknown_kid';
  return header;
}

function refusalOf(error: unknown): JwtRefusal {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return error.claim === 'nbf' ? 'not_yet_valid' : 'claims';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  return 'malformed';
}

function userToken(claims: JWTPayload): VerifiedJwt | JwtRefusal {
  const { sub, tid, applicationId, sid, exp } = claims;
  if (typeof sub !== 'string' || !isUuid(sub)) return 'claims';
  if (typeof tid !== 'string' || !isUuid(tid)) return 'claims';
  if (applicationId !== undefined && (typeof applicationId !== 'string' || !isUuid(applicationId)))
    return 'claims';
  if (sid !== undefined && typeof sid !== 'string') return 'claims';
  return {
    claims: Object.freeze({ ...claims }),
    userId: sub.toLowerCase(),
    tenantId: tid.toLowerCase(),
    applicationId: typeof applicationId === 'string' ? applicationId.toLowerCase() : null,
    sessionId: typeof sid === 'string' ? sid : null,
    expiresAt: exp!,
  };
}

/**
 * Verifies user access tokens with jose, against the stored keys only: the key is the one
 * the `kid` names and the algorithm must be that key's (so `none`, and an HMAC algorithm
 * over a public key, are refused before jose is asked). A token that verified is
 * remembered by its digest until it expires, so its signature is checked once per
 * replica; its key, tenant, user and session are judged on every use.
 */
@Injectable()
export class JwtVerifier {
  private readonly remembered = new Map<string, Remembered>();
  private recalls = 0;
  private checks = 0;

  constructor(
    private readonly keys: SigningKeyStore,
    private readonly standing: JwtStanding,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    metrics.sample(() => {
      Metrics.setCounter(metrics.jwtVerifications, { path: 'remembered' }, this.recalls);
      Metrics.setCounter(metrics.jwtVerifications, { path: 'verified' }, this.checks);
      metrics.jwtCacheEntries.set(this.remembered.size);
    });
  }

  verify(token: string): JwtVerdict | Promise<JwtVerdict> {
    const digest = hash('sha256', token, 'base64url');
    const known = this.remembered.get(digest);
    if (known !== undefined) {
      this.recalls++;
      return this.recall(digest, known);
    }
    const header = screenHeader(token);
    if (typeof header === 'string') return header;
    return chain(this.keys.byKid(header.kid!), (key) => {
      if (key === null) return 'unknown_kid';
      if (header.alg !== key.jwsAlgorithm) return 'alg_mismatch';
      return this.check(token, digest, key);
    });
  }

  private async check(token: string, digest: string, key: SigningKeyHandle): Promise<JwtVerdict> {
    this.checks++;
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, key.verifying, {
        algorithms: [key.jwsAlgorithm],
        clockTolerance: this.config.jwtClockSkewSeconds,
        requiredClaims: ['exp', 'iat', 'sub', 'iss'],
      }));
    } catch (error) {
      return refusalOf(error);
    }
    const verified = userToken(claims);
    if (typeof verified === 'string') return verified;
    this.remember(digest, { verified, keyId: key.id, kid: key.kid });
    return this.stands(verified);
  }

  private recall(digest: string, known: Remembered): JwtVerdict | Promise<JwtVerdict> {
    const { verified } = known;
    if (verified.expiresAt + this.config.jwtClockSkewSeconds <= Date.now() / 1000) {
      this.remembered.delete(digest);
      return 'expired';
    }
    return chain(this.keys.byKid(known.kid), (key) =>
      key === null || key.id !== known.keyId ? 'unknown_kid' : this.stands(verified),
    );
  }

  private stands(verified: VerifiedJwt): JwtVerdict | Promise<JwtVerdict> {
    const { tenantId, userId, sessionId, claims } = verified;
    return chain(
      this.standing.judge(tenantId, claims.iss, userId, sessionId),
      (refusal) => refusal ?? verified,
    );
  }

  private remember(digest: string, entry: Remembered): void {
    const max = this.config.jwtCacheMaxEntries;
    if (max === 0) return;
    if (this.remembered.size >= max) {
      const oldest = this.remembered.keys().next();
      if (oldest.done !== true) this.remembered.delete(oldest.value);
    }
    this.remembered.set(digest, entry);
  }
}

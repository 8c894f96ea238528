import { Inject, Injectable } from '@nestjs/common';
import { JWTPayload } from 'jose';
import { isUuid } from '../common/uuid';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { Metrics } from '../metrics/metrics.service';
import { chain, JwtStanding } from './jwt.standing';
import { JwtRefusal, SignedClaims, TokenMemo, TokenSignatures } from './token.signatures';

export type { JwtRefusal } from './token.signatures';

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

export type JwtVerdict = VerifiedJwt | JwtRefusal;

const USER_CLAIMS = ['exp', 'iat', 'sub', 'iss'];

/** The claims set is the one `checkClaims` parsed for this token alone: frozen in place. */
function userToken(claims: JWTPayload): VerifiedJwt | JwtRefusal {
  const { sub, tid, applicationId, sid, exp } = claims;
  if (typeof sub !== 'string' || !isUuid(sub)) return 'claims';
  if (typeof tid !== 'string' || !isUuid(tid)) return 'claims';
  if (applicationId !== undefined && (typeof applicationId !== 'string' || !isUuid(applicationId)))
    return 'claims';
  if (sid !== undefined && typeof sid !== 'string') return 'claims';
  return {
    claims: Object.freeze(claims),
    userId: sub.toLowerCase(),
    tenantId: tid.toLowerCase(),
    applicationId: typeof applicationId === 'string' ? applicationId.toLowerCase() : null,
    sessionId: typeof sid === 'string' ? sid : null,
    expiresAt: exp!,
  };
}

/**
 * Verifies user access tokens. A token that verified is remembered by its digest until it
 * expires, so its signature is checked once per replica; its key, tenant, user and
 * session are judged on every use.
 */
@Injectable()
export class JwtVerifier {
  private readonly remembered: TokenMemo<VerifiedJwt>;
  private recalls = 0;
  private checks = 0;

  constructor(
    private readonly signatures: TokenSignatures,
    private readonly standing: JwtStanding,
    @Inject(APP_CONFIG) config: AppConfig,
    metrics: Metrics,
  ) {
    this.remembered = new TokenMemo(config.jwtCacheMaxEntries);
    metrics.sample(() => {
      Metrics.setCounter(metrics.jwtVerifications, { path: 'remembered' }, this.recalls);
      Metrics.setCounter(metrics.jwtVerifications, { path: 'verified' }, this.checks);
      metrics.jwtCacheEntries.set(this.remembered.size);
    });
  }

  verify(token: string): JwtVerdict | Promise<JwtVerdict> {
    const digest = this.remembered.keyOf(token);
    const known = this.remembered.get(digest);
    if (known !== undefined) {
      this.recalls++;
      if (this.signatures.expired(known.value.expiresAt)) {
        this.remembered.forget(digest);
        return 'expired';
      }
      return chain(this.signatures.keyStands(known.kid, known.keyId), (stands) =>
        stands ? this.stands(known.value) : 'unknown_kid',
      );
    }
    return chain(this.signatures.check(token, 'user', USER_CLAIMS), (signed) => {
      if (typeof signed === 'string') return signed;
      this.checks++;
      return this.accept(digest, signed);
    });
  }

  private accept(digest: string | null, signed: SignedClaims): JwtVerdict | Promise<JwtVerdict> {
    const verified = userToken(signed.claims);
    if (typeof verified === 'string') return verified;
    this.remembered.remember(digest, verified, signed);
    return this.stands(verified);
  }

  private stands(verified: VerifiedJwt): JwtVerdict | Promise<JwtVerdict> {
    const { tenantId, userId, sessionId, claims } = verified;
    return chain(
      this.standing.judge(tenantId, claims.iss, userId, sessionId),
      (refusal) => refusal ?? verified,
    );
  }
}

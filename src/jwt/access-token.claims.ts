import type { JWTPayload } from 'jose';
import { UserEntity } from '../user/user.entity';

export type AuthenticationType = 'PASSWORD' | 'PING' | 'REFRESH_TOKEN' | 'JWT_SSO';

export interface AccessTokenFacts {
  readonly user: UserEntity;
  readonly tenantId: string;
  readonly issuer: string;
  /** The application logged into; null when none was named. */
  readonly applicationId: string | null;
  /** The user's roles in it; null when not registered for it (no `applicationId`/`roles` claims). */
  readonly roles: string[] | null;
  readonly authenticationType: AuthenticationType;
  /** The refresh token (session) the token belongs to. */
  readonly sessionId: string | null;
  /** Seconds: when the user authenticated (kept across refreshes). */
  readonly authTime: number;
  readonly scope: string | null;
}

/**
 * A user's access-token claims, as FusionAuth's: `aud` and `applicationId` name the
 * application, `roles` only when registered, `sid` the session. `iat`/`exp` are set by
 * the signer. `preferred_username` only when the user has a username.
 */
export function accessTokenClaims(facts: AccessTokenFacts): JWTPayload {
  const { user } = facts;
  const claims: JWTPayload = {
    sub: user.id,
    iss: facts.issuer,
    authenticationType: facts.authenticationType,
    auth_time: facts.authTime,
    tid: facts.tenantId,
  };
  if (facts.applicationId !== null) claims.aud = facts.applicationId;
  if (user.email !== null) {
    claims.email = user.email;
    claims.email_verified = user.verified;
  }
  if (user.username !== null) claims.preferred_username = user.username;
  if (facts.applicationId !== null && facts.roles !== null) {
    claims.applicationId = facts.applicationId;
    claims.roles = facts.roles;
  }
  if (facts.sessionId !== null) claims.sid = facts.sessionId;
  if (facts.scope !== null) claims.scope = facts.scope;
  return claims;
}

import type { JWTPayload } from 'jose';

/** A client-credentials access token that verified and passed a route's requirement. */
export interface VerifiedClientToken {
  readonly claims: Readonly<JWTPayload>;
  /** `sub`: the entity the token was issued to. */
  readonly recipientEntityId: string;
  readonly tenantId: string;
  /** The target entity whose grant let the token through this route. */
  readonly targetEntityId: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

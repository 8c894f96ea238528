import { Inject, Injectable } from '@nestjs/common';
import { JWTPayload } from 'jose';
import type { ClientRequirement } from '../auth/route-policy.decorator';
import { isUuid } from '../common/uuid';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { chain } from '../jwt/jwt.standing';
import { JwtRefusal, SignedClaims, TokenMemo, TokenSignatures } from '../jwt/token.signatures';
import { ClientRefusal, ClientStanding, ClientTokenClaims } from './client.standing';
import { VerifiedClientToken } from './client-token';

export type ClientTokenVerdict = VerifiedClientToken | JwtRefusal | ClientRefusal;

interface ReadToken extends ClientTokenClaims {
  readonly claims: Readonly<JWTPayload>;
  readonly expiresAt: number;
}

const CLIENT_CLAIMS = ['exp', 'iat', 'sub', 'iss', 'tid'];

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * The claims a route decision reads, checked for shape; `permissions` keyed by target id. The
 * claims set is the one `checkClaims` parsed for this token alone: frozen in place.
 */
function readToken(claims: JWTPayload): ReadToken | JwtRefusal {
  const { sub, tid, permissions, exp } = claims;
  if (typeof sub !== 'string' || !isUuid(sub)) return 'claims';
  if (typeof tid !== 'string' || !isUuid(tid)) return 'claims';
  const held: Record<string, readonly string[]> = {};
  if (permissions !== undefined) {
    if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions))
      return 'claims';
    for (const [targetId, names] of Object.entries(permissions)) {
      if (!isUuid(targetId) || !stringList(names)) return 'claims';
      held[targetId.toLowerCase()] = names;
    }
  }
  return {
    claims: Object.freeze(claims),
    tenantId: tid.toLowerCase(),
    issuer: claims.iss,
    recipientEntityId: sub.toLowerCase(),
    permissions: held,
    expiresAt: exp!,
  };
}

/**
 * Verifies client-credentials tokens for a route: the signature once per replica (then
 * remembered by digest until expiry), the tenant, entity and grant on every use, against
 * the route's requirement (a permission, granted by a target of the route's kind).
 */
@Injectable()
export class ClientTokenVerifier {
  private readonly remembered: TokenMemo<ReadToken>;

  constructor(
    private readonly signatures: TokenSignatures,
    private readonly standing: ClientStanding,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.remembered = new TokenMemo(config.jwtCacheMaxEntries);
  }

  verify(
    token: string,
    requirement: ClientRequirement,
  ): ClientTokenVerdict | Promise<ClientTokenVerdict> {
    const digest = this.remembered.keyOf(token);
    const known = this.remembered.get(digest);
    if (known !== undefined) {
      if (this.signatures.expired(known.value.expiresAt)) {
        this.remembered.forget(digest);
        return 'expired';
      }
      return chain(this.signatures.keyStands(known.kid, known.keyId), (stands) =>
        stands ? this.stands(known.value, requirement) : 'unknown_kid',
      );
    }
    return chain(this.signatures.check(token, 'client', CLIENT_CLAIMS), (signed) =>
      typeof signed === 'string' ? signed : this.accept(digest, signed, requirement),
    );
  }

  /**
   * The claims of a client-credentials token that verifies and whose tenant and entity
   * still stand (RFC 7662 `active`), whatever route it might be shown to; else null.
   */
  async introspect(token: string): Promise<Readonly<JWTPayload> | null> {
    const signed = await this.signatures.check(token, 'client', CLIENT_CLAIMS);
    if (typeof signed === 'string') return null;
    const read = readToken(signed.claims);
    if (typeof read === 'string') return null;
    return (await this.standing.entityStands(read)) === null ? read.claims : null;
  }

  private accept(
    digest: string | null,
    signed: SignedClaims,
    requirement: ClientRequirement,
  ): ClientTokenVerdict | Promise<ClientTokenVerdict> {
    const read = readToken(signed.claims);
    if (typeof read === 'string') return read;
    this.remembered.remember(digest, read, signed);
    return this.stands(read, requirement);
  }

  private stands(
    read: ReadToken,
    requirement: ClientRequirement,
  ): ClientTokenVerdict | Promise<ClientTokenVerdict> {
    return chain(this.standing.judge(read, requirement), (verdict) => {
      if (typeof verdict === 'string') return verdict;
      return {
        claims: read.claims,
        recipientEntityId: read.recipientEntityId,
        tenantId: read.tenantId,
        targetEntityId: verdict.targetId,
        expiresAt: read.expiresAt,
      };
    });
  }
}

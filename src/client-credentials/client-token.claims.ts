import type { JWTPayload } from 'jose';

/** The `gty` header member FusionAuth puts on client-credentials tokens. */
export const CLIENT_CREDENTIALS_GTY = ['client_credentials'] as const;

export interface ClientTokenClaimsInput {
  readonly recipientEntityId: string;
  readonly tenantId: string;
  readonly issuer: string;
  /** Granted permissions by target entity id; empty when the request named no scope. */
  readonly permissions: ReadonlyMap<string, readonly string[]>;
  readonly scope: string | null;
}

/**
 * FusionAuth's client-credentials claims: `aud` is the target (a list for several),
 * `permissions` an object keyed by target id; with no scope, neither is present.
 */
export function clientTokenClaims(input: ClientTokenClaimsInput): JWTPayload {
  const targets = [...input.permissions.keys()];
  return {
    ...(targets.length === 0 ? {} : { aud: targets.length === 1 ? targets[0] : targets }),
    iss: input.issuer,
    sub: input.recipientEntityId,
    tid: input.tenantId,
    ...(input.scope === null ? {} : { scope: input.scope }),
    ...(targets.length === 0
      ? {}
      : { permissions: Object.fromEntries([...input.permissions].map(([id, p]) => [id, [...p]])) }),
  };
}

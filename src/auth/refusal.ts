import type { ClientRefusal } from '../client-credentials/client.standing';
import type { JwtRefusal } from '../jwt/token.signatures';

/** Why a credential was refused: for metrics and the log, never for the client (it sees a bare 401). */
export type RefusalReason =
  | 'missing'
  | 'malformed'
  | 'unknown_key'
  | 'expired'
  | 'not_key_manager'
  | 'endpoint_denied'
  | 'global_only'
  | 'tenant_mismatch'
  | 'ip_blocked'
  | ClientRefusal
  | JwtRefusal;

export class Refusal {
  private constructor(
    readonly reason: RefusalReason,
    readonly keyId: string | null,
    /** The refused key's tenant (for the audit trail's scoping); null with no key, or a global key. */
    readonly keyTenantId: string | null = null,
  ) {}

  private static readonly anonymous = new Map<RefusalReason, Refusal>();

  /** A refusal with no key to name; made once per reason, so a flood allocates nothing. */
  static of(reason: RefusalReason): Refusal {
    let refusal = Refusal.anonymous.get(reason);
    if (refusal === undefined) {
      refusal = new Refusal(reason, null);
      Refusal.anonymous.set(reason, refusal);
    }
    return refusal;
  }

  static ofKey(reason: RefusalReason, key: { id: string; tenantId: string | null }): Refusal {
    return new Refusal(reason, key.id, key.tenantId);
  }
}

/** How the caller presented itself, for metrics. */
export type CredentialKindLabel =
  'apiKey' | 'basicApiKey' | 'jwt' | 'clientCredentials' | 'loopback' | 'none';

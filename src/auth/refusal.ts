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

  static ofKey(reason: RefusalReason, keyId: string): Refusal {
    return new Refusal(reason, keyId);
  }
}

/** How the caller presented itself, for metrics. */
export type CredentialKindLabel =
  'apiKey' | 'basicApiKey' | 'jwt' | 'clientCredentials' | 'loopback' | 'none';

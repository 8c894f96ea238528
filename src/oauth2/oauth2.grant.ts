import type { ApplicationEntity } from '../application/application.entity';
import type { TenantEntity } from '../tenant/tenant.entity';
import type { TokenForm } from './oauth2.form';

/** What the token endpoint knows once the client is authenticated. */
export interface GrantRequest {
  readonly form: TokenForm;
  /** The client: the application whose id is the `client_id`. */
  readonly client: ApplicationEntity;
  readonly tenant: TenantEntity;
}

/** The success body (RFC 6749 §5.1; FusionAuth's `AccessToken`). */
export interface AccessTokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  scope?: string;
  refresh_token?: string;
  refresh_token_id?: string;
  userId?: string;
}

/**
 * One grant type. Every grant has this shape and is listed in `TOKEN_GRANTS`; the
 * endpoint picks one by `grant_type` and checks the application enables it.
 */
export interface TokenGrant {
  /** The `grant_type` value, as `oauthConfiguration.enabledGrants` names it. */
  readonly type: string;
  exchange(request: GrantRequest): Promise<AccessTokenResponse>;
}

export const TOKEN_GRANTS = Symbol('TOKEN_GRANTS');

/** Seconds until an expiration instant given in epoch milliseconds. */
export function expiresIn(expirationInstant: number): number {
  return Math.max(0, Math.floor((expirationInstant - Date.now()) / 1000));
}

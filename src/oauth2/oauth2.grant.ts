import type { ApplicationEntity } from '../application/application.entity';
import type { ClientRecord } from '../client-credentials/client.directory';
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

/** What a grant whose client is an entity (client credentials) knows once it is authenticated. */
export interface EntityGrantRequest {
  readonly form: TokenForm;
  readonly client: ClientRecord;
  readonly tenant: TenantEntity;
}

/**
 * One grant type. Every grant has this shape and is listed in `TOKEN_GRANTS`; the
 * endpoint picks one by `grant_type`, authenticates the kind of client it serves, and,
 * for applications, checks the application enables it.
 */
export interface ApplicationGrant {
  /** The `grant_type` value, as `oauthConfiguration.enabledGrants` names it. */
  readonly type: string;
  readonly client: 'application';
  exchange(request: GrantRequest): Promise<AccessTokenResponse>;
}

/** A grant whose client is an entity: its `client_id` and secret are the entity's. */
export interface EntityGrant {
  readonly type: string;
  readonly client: 'entity';
  exchange(request: EntityGrantRequest): Promise<AccessTokenResponse>;
}

export type TokenGrant = ApplicationGrant | EntityGrant;

export const TOKEN_GRANTS = Symbol('TOKEN_GRANTS');

/** Seconds until an expiration instant given in epoch milliseconds. */
export function expiresIn(expirationInstant: number): number {
  return Math.max(0, Math.floor((expirationInstant - Date.now()) / 1000));
}

/**
 * OAuth 2.0 errors (RFC 6749 §5.2) in FusionAuth's body: `{error, error_description,
 * error_reason}`. The endpoints under /oauth2 answer with these instead of `Errors`; the
 * lists are closed, and the README's table documents every pair used.
 */
export const OAUTH_ERROR_STATUS = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERROR_STATUS;

export type OAuthErrorReason =
  | 'client_authentication_missing'
  | 'client_id_mismatch'
  | 'grant_type_disabled'
  | 'invalid_client_authentication'
  | 'invalid_client_authentication_scheme'
  | 'invalid_client_id'
  | 'invalid_entity_permission_scope'
  | 'invalid_grant_type'
  | 'invalid_target_entity_scope'
  | 'invalid_user_credentials'
  | 'missing_client_id'
  | 'missing_client_secret'
  | 'missing_grant_type'
  | 'missing_refresh_token'
  | 'refresh_token_not_found'
  | 'unknown';

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
  error_reason: OAuthErrorReason;
}

/** An answer with an OAuth error body; its description never carries a secret. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly reason: OAuthErrorReason,
    readonly description: string,
  ) {
    super(`OAuth error ${error}`);
  }

  get status(): number {
    return OAUTH_ERROR_STATUS[this.error];
  }

  get body(): OAuthErrorBody {
    return { error: this.error, error_description: this.description, error_reason: this.reason };
  }
}

import { Injectable } from '@nestjs/common';
import { OAuthError } from '../common/oauth-error';
import { JwtRefresher, RefreshRefusal } from '../jwt/jwt.refresher';
import { AccessTokenResponse, expiresIn, ApplicationGrant, GrantRequest } from './oauth2.grant';

const UNUSABLE = 'The refresh token is expired, revoked or unknown.';

/** A token of another client is, to this one, no token at all: not told apart. */
function refusal(reason: RefreshRefusal): OAuthError {
  switch (reason) {
    case 'scope_not_granted':
      return new OAuthError('invalid_scope', 'unknown', 'The scope asked for was not granted.');
    case 'user_gone':
      return new OAuthError('invalid_grant', 'refresh_token_not_found', 'The user is not active.');
    case 'not_found':
    case 'wrong_client':
    case 'refresh_not_allowed':
      return new OAuthError('invalid_grant', 'refresh_token_not_found', UNUSABLE);
  }
}

/**
 * The refresh token grant (RFC 6749 §6): the token must have been issued to this client,
 * its user must still be active, and the new token keeps the session's scopes (a
 * narrower `scope` may be asked for; a wider one is `invalid_scope`).
 */
@Injectable()
export class RefreshTokenGrant implements ApplicationGrant {
  readonly client = 'application';
  readonly type = 'refresh_token';

  constructor(private readonly refresher: JwtRefresher) {}

  async exchange({ form, client }: GrantRequest): Promise<AccessTokenResponse> {
    const token = form.required('refresh_token', 'missing_refresh_token');
    const refreshed = await this.refresher.refresh(token, {
      clientId: client.id,
      scopes: form.scopes(),
    });
    if (typeof refreshed === 'string') throw refusal(refreshed);
    return {
      access_token: refreshed.access.token,
      expires_in: expiresIn(refreshed.access.expirationInstant),
      token_type: 'Bearer',
      ...(refreshed.scope === null ? {} : { scope: refreshed.scope }),
      refresh_token: refreshed.refresh.token,
      refresh_token_id: refreshed.refresh.entity.id,
      userId: refreshed.userId,
    };
  }
}

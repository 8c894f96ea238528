import { Injectable } from '@nestjs/common';
import { configurationOf } from '../application/application.dto';
import { OAuthError } from '../common/oauth-error';
import { AccessTokenIssuer } from '../jwt/access-token.issuer';
import { jwtSettingsFor } from '../jwt/jwt.settings';
import { PasswordCheck } from '../password/password.check';
import { RefreshTokenService } from '../refresh-token/refresh-token.service';
import { RegistrationRepository } from '../registration/registration.repository';
import { UserEntity } from '../user/user.entity';
import { UserRepository } from '../user/user.repository';
import { AccessTokenResponse, expiresIn, ApplicationGrant, GrantRequest } from './oauth2.grant';

/** The scope that asks for a refresh token (OpenID Connect Core §11). */
export const OFFLINE_ACCESS = 'offline_access';

/**
 * The resource owner password grant (RFC 6749 §4.3): the user is looked up in the
 * client application's tenant by email, then username; an unknown login id, an inactive
 * user and a wrong password are the same `invalid_grant` after the same argon2 work. A
 * user not registered for the application gets a token without roles (FusionAuth's
 * 202 login). A refresh token comes with `offline_access` when the application's
 * `oauthConfiguration.generateRefreshTokens` is on.
 */
@Injectable()
export class PasswordGrant implements ApplicationGrant {
  readonly client = 'application';
  readonly type = 'password';

  constructor(
    private readonly users: UserRepository,
    private readonly registrations: RegistrationRepository,
    private readonly passwords: PasswordCheck,
    private readonly refreshTokens: RefreshTokenService,
    private readonly issuer: AccessTokenIssuer,
  ) {}

  async exchange({ form, client, tenant }: GrantRequest): Promise<AccessTokenResponse> {
    const username = form.required('username');
    const password = form.required('password');
    const scopes = form.scopes();
    const user = await this.authenticate(tenant.id, username, password);
    const registration = await this.registrations.get(tenant.id, user.id, client.id);
    const now = Date.now();
    await this.users.recordLogin(tenant.id, user.id, now);
    if (registration !== null)
      await this.registrations.recordLogin(tenant.id, registration.id, now);
    const settings = jwtSettingsFor(tenant, client);
    const refresh =
      scopes.includes(OFFLINE_ACCESS) &&
      configurationOf(client).oauthConfiguration.generateRefreshTokens
        ? await this.refreshTokens.issue(
            { userId: user.id, tenantId: tenant.id, applicationId: client.id },
            settings,
            { scopes },
          )
        : null;
    const scope = scopes.length > 0 ? scopes.join(' ') : null;
    const access = await this.issuer.issue({
      user,
      tenant,
      application: client,
      registration,
      authenticationType: 'PASSWORD',
      sessionId: refresh?.entity.id ?? null,
      scope,
    });
    return {
      access_token: access.token,
      expires_in: expiresIn(access.expirationInstant),
      token_type: 'Bearer',
      ...(scope === null ? {} : { scope }),
      ...(refresh === null
        ? {}
        : { refresh_token: refresh.token, refresh_token_id: refresh.entity.id }),
      userId: user.id,
    };
  }

  private async authenticate(
    tenantId: string,
    username: string,
    password: string,
  ): Promise<UserEntity> {
    const [user] = await this.users.findByLoginId(tenantId, username, ['email', 'username']);
    const candidate = user?.active ? user : null;
    if (!(await this.passwords.matches(candidate, password)))
      throw new OAuthError(
        'invalid_grant',
        'invalid_user_credentials',
        'The user credentials are invalid.',
      );
    return candidate!;
  }
}

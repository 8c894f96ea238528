import { Inject, Injectable } from '@nestjs/common';
import { configurationOf } from '../application/application.dto';
import { ApplicationEntity } from '../application/application.entity';
import { JsonObject } from '../common/fields';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { AccessTokenIssuer } from '../jwt/access-token.issuer';
import { jwtSettingsFor } from '../jwt/jwt.settings';
import { RefreshTokenService } from '../refresh-token/refresh-token.service';
import { RegistrationEntity } from '../registration/registration.entity';
import { RegistrationRepository } from '../registration/registration.repository';
import { TenantEntity } from '../tenant/tenant.entity';
import { TenantCache } from '../tenant/tenant.cache';
import { UserEntity } from '../user/user.entity';
import { UserRepository } from '../user/user.repository';
import { UserService } from '../user/user.service';
import { clearedCookies, CookiePolicy, loginCookies } from './login.cookies';
import { IssuedTokens, loginResponseJson } from './login.dto';

/** What a login route answers: its status, its JSON body (none: empty) and its cookies. */
export interface LoginOutcome {
  readonly status: 200 | 202;
  readonly body: JsonObject | null;
  readonly cookies: string[];
}

interface Tokens extends IssuedTokens {
  readonly cookies: string[];
}

/**
 * What follows an authentication: the login recorded on the user and its registration,
 * tokens minted (a refresh token only for a registered user of an application that
 * generates them, and then the access token carries its `sid`), cookies written. Also
 * the login ping and logout, which touch the same records.
 */
@Injectable()
export class LoginSessions {
  private readonly cookiePolicy: CookiePolicy;

  constructor(
    private readonly tenants: TenantCache,
    private readonly users: UserRepository,
    private readonly userService: UserService,
    private readonly registrations: RegistrationRepository,
    private readonly issuer: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokenService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cookiePolicy = { secure: config.cookieSecure, sameSite: config.cookieSameSite };
  }

  /** 200 for a registered user (or no application named), 202 for a user not registered for it. */
  async complete(
    user: UserEntity,
    application: ApplicationEntity | null,
    noJWT: boolean,
  ): Promise<LoginOutcome> {
    const { registration, status, now } = await this.record(user, application);
    const rendered = await this.userService.render({ ...user, lastLoginInstant: now });
    if (noJWT) return { status, body: loginResponseJson(rendered, null), cookies: [] };
    const tokens = await this.mint(user, application, registration);
    return { status, body: loginResponseJson(rendered, tokens), cookies: tokens.cookies };
  }

  /** A login that happened elsewhere (SSO): recorded, nothing issued; 202 when not registered. */
  async ping(user: UserEntity, application: ApplicationEntity | null): Promise<LoginOutcome> {
    const { status } = await this.record(user, application);
    return { status, body: null, cookies: [] };
  }

  /** Revokes the refresh token (all of its owner's with `global`), if it is one; clears the cookies. */
  async logout(refreshToken: string | null, global: boolean): Promise<LoginOutcome> {
    const entity = refreshToken === null ? null : await this.refreshTokens.find(refreshToken);
    if (entity !== null) {
      if (global)
        await this.refreshTokens.revoke({ tenantId: entity.tenantId, userId: entity.userId });
      else await this.refreshTokens.revokeAll([entity]);
    }
    return { status: 200, body: null, cookies: clearedCookies(this.cookiePolicy) };
  }

  private async record(user: UserEntity, application: ApplicationEntity | null) {
    const registration =
      application === null
        ? null
        : await this.registrations.get(user.tenantId, user.id, application.id);
    const now = Date.now();
    await this.users.recordLogin(user.tenantId, user.id, now);
    if (registration !== null)
      await this.registrations.recordLogin(user.tenantId, registration.id, now);
    const status: 200 | 202 = application !== null && registration === null ? 202 : 200;
    return { registration, status, now };
  }

  private async mint(
    user: UserEntity,
    application: ApplicationEntity | null,
    registration: RegistrationEntity | null,
  ): Promise<Tokens> {
    const tenant = await this.tenantOf(user);
    const settings = jwtSettingsFor(tenant, application);
    const refresh =
      application !== null &&
      registration !== null &&
      configurationOf(application).loginConfiguration.generateRefreshTokens
        ? await this.refreshTokens.issue(
            { userId: user.id, tenantId: tenant.id, applicationId: application.id },
            settings,
          )
        : null;
    const access = await this.issuer.issue({
      user,
      tenant,
      application,
      registration,
      authenticationType: 'PASSWORD',
      sessionId: refresh?.entity.id ?? null,
    });
    const refreshCookie =
      refresh === null
        ? null
        : { token: refresh.token, maxAgeSeconds: settings.refreshTokenTimeToLiveInMinutes * 60 };
    return {
      token: access.token,
      tokenExpirationInstant: access.expirationInstant,
      refreshToken: refresh === null ? null : { token: refresh.token, id: refresh.entity.id },
      cookies: loginCookies(this.cookiePolicy, access.token, refreshCookie),
    };
  }

  private async tenantOf(user: UserEntity): Promise<TenantEntity> {
    const tenant = await this.tenants.byId(user.tenantId);
    if (tenant === null) throw new Error(`user ${user.id} has no tenant ${user.tenantId}`);
    return tenant;
  }
}

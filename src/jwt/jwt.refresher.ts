import { Injectable } from '@nestjs/common';
import { configurationOf } from '../application/application.dto';
import { ApplicationEntity } from '../application/application.entity';
import { ApplicationRepository } from '../application/application.repository';
import { RefreshTokenEntity } from '../refresh-token/refresh-token.entity';
import { IssuedRefreshToken, RefreshTokenService } from '../refresh-token/refresh-token.service';
import { RegistrationRepository } from '../registration/registration.repository';
import type { JwtSettings } from '../tenant/tenant.dto';
import { TenantEntity } from '../tenant/tenant.entity';
import { TenantCache } from '../tenant/tenant.cache';
import { UserEntity } from '../user/user.entity';
import { UserRepository } from '../user/user.repository';
import { AccessTokenIssuer } from './access-token.issuer';
import { jwtSettingsFor } from './jwt.settings';
import { SignedToken } from './jwt.signer';

/** Why a refresh token bought nothing; callers answer each in their own error format. */
export type RefreshRefusal =
  'not_found' | 'wrong_client' | 'user_gone' | 'refresh_not_allowed' | 'scope_not_granted';

export interface RefreshedSession {
  readonly access: SignedToken;
  /** The token to hand back: the same one, or its replacement under `OneTimeUse`. */
  readonly refresh: IssuedRefreshToken;
  readonly userId: string;
  readonly scope: string | null;
  readonly settings: JwtSettings;
}

export interface RefreshOptions {
  /** The OAuth client redeeming it: the token must have been issued to this application. */
  readonly clientId?: string;
  /** FusionAuth's `/api/jwt/refresh` honours `loginConfiguration.allowTokenRefresh`; OAuth does not. */
  readonly requireAllowTokenRefresh?: boolean;
  /** A narrower scope for the new token (OAuth `scope`); none asked keeps the session's. */
  readonly scopes?: readonly string[];
}

interface Session {
  readonly entity: RefreshTokenEntity;
  readonly tenant: TenantEntity;
  readonly application: ApplicationEntity;
  readonly user: UserEntity;
}

/** The scopes a session was granted (`metaData.scopes`, as FusionAuth keeps them). */
export function sessionScopes(entity: RefreshTokenEntity): string[] {
  const scopes = entity.metaData.scopes;
  return Array.isArray(scopes) ? scopes.filter((item) => typeof item === 'string') : [];
}

/**
 * A refresh token redeemed for a new access token, for `/api/jwt/refresh` and the
 * token endpoint's `refresh_token` grant alike. Everything that can refuse is checked
 * before the token is used, so a refused request never consumes a `OneTimeUse` token;
 * the user must still exist and be active, and the token carries on the session: its
 * `sid`, its `auth_time` (when the session began), its scopes.
 */
@Injectable()
export class JwtRefresher {
  constructor(
    private readonly refreshTokens: RefreshTokenService,
    private readonly tenants: TenantCache,
    private readonly applications: ApplicationRepository,
    private readonly users: UserRepository,
    private readonly registrations: RegistrationRepository,
    private readonly issuer: AccessTokenIssuer,
  ) {}

  async refresh(
    token: string,
    options: RefreshOptions = {},
  ): Promise<RefreshedSession | RefreshRefusal> {
    const entity = await this.refreshTokens.find(token);
    if (entity === null) return 'not_found';
    if (options.clientId !== undefined && entity.applicationId !== options.clientId)
      return 'wrong_client';
    const session = await this.session(entity);
    if (typeof session === 'string') return session;
    const { tenant, application, user } = session;
    if (
      options.requireAllowTokenRefresh &&
      !configurationOf(application).loginConfiguration.allowTokenRefresh
    )
      return 'refresh_not_allowed';
    const granted = sessionScopes(entity);
    const asked = options.scopes ?? [];
    if (asked.some((scope) => !granted.includes(scope))) return 'scope_not_granted';
    const scopes = asked.length > 0 ? asked : granted;
    const scope = scopes.length > 0 ? scopes.join(' ') : null;
    const settings = jwtSettingsFor(tenant, application);
    const refresh = await this.refreshTokens.redeem(token, () => Promise.resolve(settings));
    if (refresh === null) return 'not_found';
    const registration = await this.registrations.get(tenant.id, user.id, application.id);
    const access = await this.issuer.issue({
      user,
      tenant,
      application,
      registration,
      authenticationType: 'REFRESH_TOKEN',
      sessionId: refresh.entity.id,
      authTime: Math.floor(entity.startInstant / 1000),
      scope,
    });
    return { access, refresh, userId: user.id, scope, settings };
  }

  private async session(entity: RefreshTokenEntity): Promise<Session | RefreshRefusal> {
    const tenant = await this.tenants.byId(entity.tenantId);
    const application =
      entity.applicationId === null
        ? null
        : await this.applications.getById(entity.tenantId, entity.applicationId);
    if (tenant === null || application === null || !application.active) return 'not_found';
    const user = await this.users.getById(entity.tenantId, entity.userId);
    if (user === null || !user.active) return 'user_gone';
    return { entity, tenant, application, user };
  }
}

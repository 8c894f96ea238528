import { Injectable } from '@nestjs/common';
import { configurationOf } from '../application/application.dto';
import { ApplicationRepository } from '../application/application.repository';
import { ApiError } from '../common/api-error';
import { JsonObject } from '../common/fields';
import { parseUuid } from '../common/uuid';
import { RefreshTokenService } from '../refresh-token/refresh-token.service';
import { RegistrationRepository } from '../registration/registration.repository';
import { TenantCache } from '../tenant/tenant.cache';
import { UserRepository } from '../user/user.repository';
import { AccessTokenIssuer } from './access-token.issuer';
import { jwtSettingsFor } from './jwt.settings';
import { VerifiedJwt } from './jwt.verifier';

export interface IssueOutcome {
  readonly status: 200 | 202;
  readonly body: JsonObject;
}

const MAX_TOKEN = 1024;

/**
 * `GET /api/jwt/issue`: a token for another application of the user's tenant, ending
 * when the presented one does (FusionAuth's rule), 202 when the user is not registered
 * for it. A refresh token of the same user, when presented, buys one for the other
 * application too, if it is registered there and generates refresh tokens; that session
 * keeps the first one's start.
 */
@Injectable()
export class JwtIssueService {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly tenants: TenantCache,
    private readonly users: UserRepository,
    private readonly registrations: RegistrationRepository,
    private readonly refreshTokens: RefreshTokenService,
    private readonly issuer: AccessTokenIssuer,
  ) {}

  async issue(
    jwt: VerifiedJwt,
    applicationIdValue: string | null,
    refreshToken: string | null,
  ): Promise<IssueOutcome> {
    if (applicationIdValue === null) throw ApiError.field('missing', 'applicationId');
    const applicationId = parseUuid(applicationIdValue);
    if (applicationId === null) throw ApiError.field('couldNotConvert', 'applicationId');
    const application = await this.applications.getById(jwt.tenantId, applicationId);
    const tenant = await this.tenants.byId(jwt.tenantId);
    const user = await this.users.getById(jwt.tenantId, jwt.userId);
    if (application === null || !application.active || tenant === null || user === null)
      throw ApiError.field(
        'invalid',
        'applicationId',
        `No active Application exists with the id [${applicationId}] in the tenant of this token.`,
      );
    const registration = await this.registrations.get(tenant.id, user.id, application.id);
    const session =
      refreshToken === null || refreshToken.length > MAX_TOKEN
        ? null
        : await this.refreshTokens.find(refreshToken);
    const refresh =
      session !== null &&
      session.userId === user.id &&
      registration !== null &&
      configurationOf(application).loginConfiguration.generateRefreshTokens
        ? await this.refreshTokens.issue(
            { userId: user.id, tenantId: tenant.id, applicationId: application.id },
            jwtSettingsFor(tenant, application),
            {},
            session.startInstant,
          )
        : null;
    const authTime = jwt.claims.auth_time;
    const access = await this.issuer.issue({
      user,
      tenant,
      application,
      registration,
      authenticationType: 'JWT_SSO',
      sessionId: refresh?.entity.id ?? jwt.sessionId,
      authTime: typeof authTime === 'number' ? authTime : undefined,
      expiresAt: jwt.expiresAt,
    });
    return {
      status: registration === null ? 202 : 200,
      body: { token: access.token, ...(refresh === null ? {} : { refreshToken: refresh.token }) },
    };
  }
}

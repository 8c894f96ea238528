import { Injectable } from '@nestjs/common';
import { ApplicationEntity } from '../application/application.entity';
import { RegistrationEntity } from '../registration/registration.entity';
import { TenantEntity } from '../tenant/tenant.entity';
import { UserEntity } from '../user/user.entity';
import { accessTokenClaims, AuthenticationType } from './access-token.claims';
import { jwtSettingsFor } from './jwt.settings';
import { JwtSigner, SignedToken } from './jwt.signer';

export interface AccessTokenRequest {
  readonly user: UserEntity;
  readonly tenant: TenantEntity;
  /** The application logged into, or null. */
  readonly application: ApplicationEntity | null;
  /** The user's registration for it; null when not registered (a 202 login). */
  readonly registration: RegistrationEntity | null;
  readonly authenticationType: AuthenticationType;
  readonly sessionId?: string | null;
  /** Seconds; now unless the token continues an earlier authentication. */
  readonly authTime?: number;
  readonly scope?: string | null;
  /** Seconds since the epoch: the token ends then instead of after the configured lifetime. */
  readonly expiresAt?: number;
}

/**
 * A user's access token: claims as FusionAuth's, signed by the application's key when its
 * JWT settings are enabled, else by the tenant's, and living as long as those settings say.
 */
@Injectable()
export class AccessTokenIssuer {
  constructor(private readonly signer: JwtSigner) {}

  issue(request: AccessTokenRequest): Promise<SignedToken> {
    const settings = jwtSettingsFor(request.tenant, request.application);
    if (settings.accessTokenKeyId === null)
      throw new Error(`tenant ${request.tenant.id} names no access-token signing key`);
    const claims = accessTokenClaims({
      user: request.user,
      tenantId: request.tenant.id,
      issuer: request.tenant.configuration.issuer,
      applicationId: request.application?.id ?? null,
      roles: request.registration?.roles ?? null,
      authenticationType: request.authenticationType,
      sessionId: request.sessionId ?? null,
      authTime: request.authTime ?? Math.floor(Date.now() / 1000),
      scope: request.scope ?? null,
    });
    return this.signer.sign(claims, settings.accessTokenKeyId, {
      timeToLiveInSeconds: settings.timeToLiveInSeconds,
      expiresAt: request.expiresAt,
    });
  }
}

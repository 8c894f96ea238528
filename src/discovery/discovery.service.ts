import { Inject, Injectable } from '@nestjs/common';
import type { JWK } from 'jose';
import { ApplicationRepository } from '../application/application.repository';
import { EmptyResponse } from '../common/api-error';
import { JsonObject } from '../common/fields';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { jwtSettingsFor } from '../jwt/jwt.settings';
import { SigningKeyStore } from '../signing-key/signing-key.store';
import { TenantCache } from '../tenant/tenant.cache';
import { publishable, toJwk } from './discovery.keys';
import { openIdConfiguration } from './openid-configuration';

/**
 * What Portcullis publishes without credentials: the public half of its signing keys (as
 * PEM and as a JWK set) and OpenID Connect discovery. Read from each replica's key store,
 * so a flood of these requests costs no database query.
 */
@Injectable()
export class DiscoveryService {
  constructor(
    private readonly keys: SigningKeyStore,
    private readonly tenants: TenantCache,
    private readonly applications: ApplicationRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async publicKeys(): Promise<JsonObject> {
    const publicKeys = Object.fromEntries(
      publishable(await this.keys.all()).map((key) => [key.kid, key.publicKey]),
    );
    return { publicKeys };
  }

  async publicKeyByKid(kid: string): Promise<JsonObject> {
    const key = await this.keys.byKid(kid);
    if (key?.publicKey == null) throw EmptyResponse.notFound;
    return { publicKey: key.publicKey };
  }

  /** The key that signs the application's access tokens (its own when enabled, else its tenant's). */
  async publicKeyOfApplication(applicationId: string): Promise<JsonObject> {
    const application = await this.applications.getById(null, applicationId);
    if (application === null) throw EmptyResponse.notFound;
    const tenant = await this.tenants.byId(application.tenantId);
    const keyId = tenant === null ? null : jwtSettingsFor(tenant, application).accessTokenKeyId;
    const key = keyId === null ? null : await this.keys.byId(keyId);
    if (key?.publicKey == null) throw EmptyResponse.notFound;
    return { publicKey: key.publicKey };
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: await Promise.all(publishable(await this.keys.all()).map(toJwk)) };
  }

  /** Discovery for a tenant: the one named, else the Default tenant. */
  async openIdConfiguration(tenantId: string | null, baseUrl: string): Promise<JsonObject> {
    const tenant =
      tenantId === null ? await this.tenants.defaultTenant() : await this.tenants.byId(tenantId);
    if (tenant === null) throw EmptyResponse.notFound;
    return openIdConfiguration(tenant.configuration.issuer, this.config.publicUrl ?? baseUrl);
  }
}

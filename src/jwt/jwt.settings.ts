import { ApplicationEntity } from '../application/application.entity';
import { configurationOf } from '../application/application.dto';
import type { JwtSettings } from '../tenant/tenant.dto';
import type { TenantEntity } from '../tenant/tenant.entity';

/**
 * The token settings in force for a login: the application's when its `jwtConfiguration`
 * is enabled, else its tenant's (FusionAuth's rule). The application's access-token key,
 * when it names none, is still the tenant's.
 */
export function jwtSettingsFor(
  tenant: TenantEntity,
  application: ApplicationEntity | null,
): JwtSettings {
  const tenantSettings = tenant.configuration.jwtConfiguration;
  if (application === null) return tenantSettings;
  const { enabled, ...own } = configurationOf(application).jwtConfiguration;
  if (!enabled) return tenantSettings;
  return {
    ...own,
    accessTokenKeyId: own.accessTokenKeyId ?? tenantSettings.accessTokenKeyId,
    idTokenKeyId: own.idTokenKeyId ?? tenantSettings.idTokenKeyId,
  };
}

import { ApplicationEntity } from '../application/application.entity';
import { DEFAULT_TENANT_CONFIGURATION } from '../tenant/tenant.dto';
import { TenantEntity } from '../tenant/tenant.entity';
import { jwtSettingsFor } from './jwt.settings';

const tenantJwt = {
  ...DEFAULT_TENANT_CONFIGURATION.jwtConfiguration,
  accessTokenKeyId: 'tenant-key',
};
const tenant = {
  id: 't',
  configuration: { ...DEFAULT_TENANT_CONFIGURATION, jwtConfiguration: tenantJwt },
} as TenantEntity;

function application(jwtConfiguration: object): ApplicationEntity {
  return { id: 'a', configuration: { jwtConfiguration } } as unknown as ApplicationEntity;
}

describe('jwtSettingsFor', () => {
  it("is the tenant's without an application, or when the application's are off", () => {
    expect(jwtSettingsFor(tenant, null)).toEqual(tenantJwt);
    const off = application({ ...tenantJwt, enabled: false, timeToLiveInSeconds: 60 });
    expect(jwtSettingsFor(tenant, off)).toEqual(tenantJwt);
  });

  it("is the application's when enabled, its key falling back to the tenant's", () => {
    const on = application({
      ...tenantJwt,
      enabled: true,
      accessTokenKeyId: null,
      timeToLiveInSeconds: 60,
    });
    expect(jwtSettingsFor(tenant, on)).toEqual({ ...tenantJwt, timeToLiveInSeconds: 60 });
    const ownKey = application({ ...tenantJwt, enabled: true, accessTokenKeyId: 'app-key' });
    expect(jwtSettingsFor(tenant, ownKey).accessTokenKeyId).toBe('app-key');
  });
});

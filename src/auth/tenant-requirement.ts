import { Caller } from './principal';
import { ApiError } from '../common/api-error';
import { TenantDirectory } from '../tenant/tenant.directory';

/**
 * The tenant a create or a lookup by email, username or login id acts in: the
 * caller's (scoped key or header), else the only tenant there is. With several
 * tenants and none named, FusionAuth answers 400 [TenantIdRequired].
 */
export function requireTenant(caller: Caller, tenants: TenantDirectory): string {
  if (caller.tenantId !== null) return caller.tenantId;
  const sole = tenants.soleTenantId();
  if (sole === null) throw ApiError.general('TenantIdRequired');
  return sole;
}

import { ApiError } from '../common/api-error';
import { parseUuid } from '../common/uuid';
import { ApiKeyRecord } from '../key-cache/api-key.record';
import { RefusalReason } from './refusal';
import { RoutePolicy } from './route-policy.decorator';

export const TENANT_HEADER = 'x-fusionauth-tenantid';

/** The tenant a request is confined to, and a header tenant whose existence is still to confirm. */
export interface TenantCheck {
  readonly tenantId: string | null;
  readonly verify: string | null;
}

/**
 * Which tenant a key's request is confined to (FusionAuth: the scoped key's tenant,
 * else the X-FusionAuth-TenantId header). 401 for a scoped key naming another tenant
 * and for any tenant on a global-only endpoint; 400 for a malformed header.
 */
export function resolveTenant(
  key: Pick<ApiKeyRecord, 'tenantId'>,
  policy: Pick<RoutePolicy, 'globalOnly'>,
  header: string | string[] | undefined,
): TenantCheck | RefusalReason | ApiError {
  if (Array.isArray(header)) header = header.length === 1 ? header[0] : '';
  if (policy.globalOnly && (key.tenantId !== null || header !== undefined)) return 'global_only';
  if (header === undefined) return { tenantId: key.tenantId, verify: null };
  const id = parseUuid(header.trim());
  if (id === null) {
    return ApiError.field(
      'couldNotConvert',
      'X-FusionAuth-TenantId',
      'The X-FusionAuth-TenantId header must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).',
    );
  }
  if (key.tenantId !== null)
    return key.tenantId === id ? { tenantId: id, verify: null } : 'tenant_mismatch';
  return { tenantId: id, verify: id };
}

export function unknownTenantHeader(): ApiError {
  return ApiError.field(
    'invalid',
    'X-FusionAuth-TenantId',
    'The X-FusionAuth-TenantId header names no tenant.',
  );
}

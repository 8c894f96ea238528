import { Caller } from '../auth/principal';
import { AppConfig } from '../config/config.schema';
import { ScimError } from './scim.error';
import { SCIM_PATH } from './scim.response';

/**
 * The tenant a SCIM request acts in: its token's. A caller confined to no tenant sees
 * nothing here (a client token always names one).
 */
export function scimTenant(caller: Caller): string {
  if (caller.tenantId === null) throw new ScimError(401, null, 'The request was not authorized.');
  return caller.tenantId;
}

/** The SCIM base URL `meta.location` is written under: PUBLIC_URL when set. */
export function scimBase(config: AppConfig, requestBase: string): string {
  return `${(config.publicUrl ?? requestBase).replace(/\/$/, '')}/${SCIM_PATH}`;
}

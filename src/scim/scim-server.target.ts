import { Injectable } from '@nestjs/common';
import type { ClientRecord } from '../client-credentials/client.directory';
import type { ClientTargetRule } from '../client-credentials/client-target';
import { chain } from '../jwt/jwt.standing';
import { TenantCache } from '../tenant/tenant.cache';

/**
 * FusionAuth's SCIM wiring: a token passes a SCIM route when its target is an entity of
 * the tenant's `scimServerConfiguration.serverEntityTypeId` and its recipient one of the
 * `clientEntityTypeId`, with SCIM enabled in that tenant. The tenant is read from the
 * replica's tenant cache.
 */
@Injectable()
export class ScimServerTarget implements ClientTargetRule {
  readonly target = 'scimServer';

  constructor(private readonly tenants: TenantCache) {}

  admits(
    tenantId: string,
    target: ClientRecord,
    recipient: ClientRecord,
  ): boolean | Promise<boolean> {
    return chain(this.tenants.byId(tenantId), (tenant) => {
      const scim = tenant?.configuration.scimServerConfiguration ?? null;
      return (
        scim !== null &&
        scim.enabled &&
        target.typeId === scim.serverEntityTypeId &&
        recipient.typeId === scim.clientEntityTypeId
      );
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { ClientRecord } from '../client-credentials/client.directory';
import type { ClientTargetRule } from '../client-credentials/client-target';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { chain } from '../jwt/jwt.standing';
import { ChangeHub } from '../key-cache/change.hub';
import { ReplicaCache } from '../key-cache/replica.cache';
import type { ScimServerSettings } from '../tenant/tenant.dto';
import { TenantRepository } from '../tenant/tenant.repository';

/**
 * FusionAuth's SCIM wiring: a token passes a SCIM route when its target is an entity of
 * the tenant's `scimServerConfiguration.serverEntityTypeId` and its recipient one of the
 * `clientEntityTypeId`, with SCIM enabled in that tenant. The setting is held per replica
 * and dropped by `tenant.changed` messages.
 */
@Injectable()
export class ScimServerTarget implements ClientTargetRule {
  readonly target = 'scimServer';
  private readonly settings: ReplicaCache<ScimServerSettings | null>;

  constructor(tenants: TenantRepository, hub: ChangeHub, @Inject(APP_CONFIG) config: AppConfig) {
    this.settings = new ReplicaCache(
      async (tenantId) =>
        (await tenants.getById(tenantId))?.configuration.scimServerConfiguration ?? null,
      {
        ttlMs: config.apiKeyCacheTtlSeconds * 1000,
        maxEntries: 10_000,
        deadlineMs: config.databaseQueryTimeoutMs,
        what: 'a tenant lookup',
      },
    );
    hub.listen({
      onChange: ({ event }) => {
        if (event.type === 'tenant.changed') this.settings.evict(event.tenantId);
      },
      onResync: () => this.settings.flush(),
    });
  }

  admits(
    tenantId: string,
    target: ClientRecord,
    recipient: ClientRecord,
  ): boolean | Promise<boolean> {
    return chain(
      this.settings.get(tenantId),
      (scim) =>
        scim !== null &&
        scim.enabled &&
        target.typeId === scim.serverEntityTypeId &&
        recipient.typeId === scim.clientEntityTypeId,
    );
  }
}

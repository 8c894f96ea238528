import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { ChangeHub } from '../key-cache/change.hub';
import { ReplicaCache } from '../key-cache/replica.cache';
import { heldPerReplica } from '../key-cache/replica-view';
import { TenantEntity } from './tenant.entity';
import { TenantRepository } from './tenant.repository';

/**
 * Tenants by id as the paths that read one on every request take them (the token
 * endpoint, SCIM's routes), held per replica like API keys: one load per id however many
 * ask, dropped by `tenant.changed` messages and bus resyncs, and trusted for the cache TTL
 * at most. A tenant held here is shared by every request that reads it: read it, never
 * change it.
 */
@Injectable()
export class TenantCache {
  private readonly tenants: ReplicaCache<TenantEntity | null>;

  constructor(repository: TenantRepository, hub: ChangeHub, @Inject(APP_CONFIG) config: AppConfig) {
    this.tenants = heldPerReplica(hub, config, (id) => repository.getById(id), {
      maxEntries: 10_000,
      what: 'a tenant lookup',
      onChange: (event, cache) => {
        if (event.type === 'tenant.changed') cache.evict(event.tenantId);
      },
    });
  }

  /** The tenant at once when held, else the (shared) load of it; null when there is none. */
  byId(id: string): TenantEntity | null | Promise<TenantEntity | null> {
    return this.tenants.get(id);
  }
}

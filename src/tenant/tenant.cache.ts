import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { ChangeHub } from '../key-cache/change.hub';
import { ReplicaCache } from '../key-cache/replica.cache';
import { heldPerReplica } from '../key-cache/replica-view';
import { TenantEntity } from './tenant.entity';
import { TenantRepository } from './tenant.repository';

/** The Default tenant's entry: not a UUID, so never another tenant's id. */
const DEFAULT = 'default';

/**
 * Tenants by id (and the Default tenant) as the paths that read one on every request take
 * them (the token endpoint, SCIM's routes, logins, JWT issue, refresh and vend, discovery),
 * held per replica like API keys: one load per id however many
 * ask, dropped by `tenant.changed` messages and bus resyncs, and trusted for the cache TTL
 * at most. A tenant held here is shared by every request that reads it: read it, never
 * change it.
 */
@Injectable()
export class TenantCache {
  private readonly tenants: ReplicaCache<TenantEntity | null>;

  constructor(repository: TenantRepository, hub: ChangeHub, @Inject(APP_CONFIG) config: AppConfig) {
    const load = (id: string) =>
      id === DEFAULT ? repository.getDefault() : repository.getById(id);
    this.tenants = heldPerReplica(hub, config, load, {
      maxEntries: 10_000,
      what: 'a tenant lookup',
      onChange: (event, cache) => {
        if (event.type !== 'tenant.changed') return;
        cache.evict(event.tenantId);
        cache.evict(DEFAULT);
      },
    });
  }

  /** The tenant at once when held, else the (shared) load of it; null when there is none. */
  byId(id: string): TenantEntity | null | Promise<TenantEntity | null> {
    return this.tenants.get(id);
  }

  /** The Default tenant, as `byId` gives one. */
  defaultTenant(): TenantEntity | null | Promise<TenantEntity | null> {
    return this.tenants.get(DEFAULT);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { hash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { ChangeHub } from '../key-cache/change.hub';
import { ReplicaCache } from '../key-cache/replica.cache';
import { ClientEntity, EntityClients, EntityTokenSettings } from './entity-clients';

/** An entity as a client: its secret held only as a digest. */
export interface ClientRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly typeId: string;
  /** SHA-256 of the client secret. */
  readonly secretDigest: Buffer;
}

/** A grant as held per replica: who gave what to whom (null: nothing). */
export interface HeldGrant {
  readonly targetId: string;
  readonly recipientId: string;
  readonly permissions: readonly string[] | null;
}

export function secretDigest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

function recordOf(entity: ClientEntity | null): ClientRecord | null {
  if (entity === null) return null;
  const { id, tenantId, typeId, clientSecret } = entity;
  return { id, tenantId, typeId, secretDigest: secretDigest(clientSecret) };
}

/**
 * Entities, grants and entity-type token settings as the client-credentials grant and
 * its tokens read them, held per replica like API keys: one load per key however many
 * ask, dropped by `entity.changed` (entity created, changed or deleted, or a grant it
 * gives or receives) and `entityType.changed` messages and bus resyncs, and trusted for
 * the cache TTL at most. A change is enforced on every replica within the same bound as
 * a revoked API key, and the token endpoint asks the database nothing it already holds.
 */
@Injectable()
export class ClientDirectory {
  private readonly clients: ReplicaCache<ClientRecord | null>;
  private readonly entities: ReplicaCache<ClientRecord | null>;
  private readonly grants: ReplicaCache<HeldGrant>;
  private readonly settings: ReplicaCache<EntityTokenSettings | null>;

  constructor(source: EntityClients, hub: ChangeHub, @Inject(APP_CONFIG) config: AppConfig) {
    const options = (what: string) => ({
      ttlMs: config.apiKeyCacheTtlSeconds * 1000,
      maxEntries: Math.max(100, config.jwtCacheMaxEntries),
      deadlineMs: config.databaseQueryTimeoutMs,
      what,
    });
    this.clients = new ReplicaCache(
      async (clientId) => recordOf(await source.byClientId(clientId)),
      options('a client lookup'),
    );
    this.entities = new ReplicaCache(
      async (id) => recordOf(await source.byId(id)),
      options('an entity lookup'),
    );
    this.grants = new ReplicaCache(async (key) => {
      const [targetId, recipientId] = key.split(' ');
      const permissions = await source.permissionsGranted(targetId, recipientId);
      return { targetId, recipientId, permissions };
    }, options('a grant lookup'));
    this.settings = new ReplicaCache(
      (typeId) => source.tokenSettings(typeId),
      options('an entity type lookup'),
    );
    hub.listen({
      onChange: ({ event }) => {
        if (event.type === 'entity.changed') {
          const id = event.entityId;
          this.entities.evict(id);
          // A new entity may take a client id some earlier request found free.
          this.clients.evictWhere((client) => client === null || client.id === id);
          this.grants.evictWhere((grant) => grant.targetId === id || grant.recipientId === id);
        } else if (event.type === 'entityType.changed') {
          this.settings.evict(event.entityTypeId);
          // A permission taken out of a type leaves the grants of its entities.
          this.grants.flush();
        }
      },
      onResync: () => this.flush(),
    });
  }

  byClientId(clientId: string): ClientRecord | null | Promise<ClientRecord | null> {
    return this.clients.get(clientId);
  }

  entity(id: string): ClientRecord | null | Promise<ClientRecord | null> {
    return this.entities.get(id);
  }

  grant(targetId: string, recipientId: string): HeldGrant | Promise<HeldGrant> {
    return this.grants.get(`${targetId} ${recipientId}`);
  }

  /** The type's own token settings; null when its `jwtConfiguration` is off. */
  tokenSettings(typeId: string): EntityTokenSettings | null | Promise<EntityTokenSettings | null> {
    return this.settings.get(typeId);
  }

  private flush(): void {
    this.clients.flush();
    this.entities.flush();
    this.grants.flush();
    this.settings.flush();
  }
}

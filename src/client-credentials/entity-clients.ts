/** An entity as the client-credentials grant and its tokens see it. */
export interface ClientEntity {
  readonly id: string;
  readonly tenantId: string;
  readonly typeId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** An entity type's own token settings, when its `jwtConfiguration` is enabled. */
export interface EntityTokenSettings {
  readonly accessTokenKeyId: string;
  readonly timeToLiveInSeconds: number;
}

/**
 * What the client-credentials grant and its token checks read of entities, types and
 * grants; the entity module answers it from the database.
 */
export abstract class EntityClients {
  /** Across tenants: a `client_id` names one entity wherever it lives. */
  abstract byClientId(clientId: string): Promise<ClientEntity | null>;
  abstract byId(entityId: string): Promise<ClientEntity | null>;
  /** What `targetId` granted `recipientId`; null when it granted nothing. */
  abstract permissionsGranted(targetId: string, recipientId: string): Promise<string[] | null>;
  /** Null when the type's `jwtConfiguration` is not enabled (the tenant's settings apply). */
  abstract tokenSettings(entityTypeId: string): Promise<EntityTokenSettings | null>;
}

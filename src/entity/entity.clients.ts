import { Injectable } from '@nestjs/common';
import {
  ClientEntity,
  EntityClients,
  EntityTokenSettings,
} from '../client-credentials/entity-clients';
import { EntityGrantRepository } from './entity-grant.repository';
import { EntityTypeRepository } from './entity-type.repository';
import { EntityRow } from './entity.entity';
import { EntityRepository } from './entity.repository';

function clientOf(row: EntityRow | null): ClientEntity | null {
  if (row === null) return null;
  const { id, tenantId, typeId, clientId, clientSecret } = row;
  return { id, tenantId, typeId, clientId, clientSecret };
}

/** Entities, types and grants as the client-credentials grant and its tokens read them. */
@Injectable()
export class EntityClientsFromDatabase extends EntityClients {
  constructor(
    private readonly entities: EntityRepository,
    private readonly types: EntityTypeRepository,
    private readonly grants: EntityGrantRepository,
  ) {
    super();
  }

  async byClientId(clientId: string): Promise<ClientEntity | null> {
    return clientOf(await this.entities.findByClientId(clientId));
  }

  async byId(entityId: string): Promise<ClientEntity | null> {
    return clientOf(await this.entities.findById(entityId));
  }

  permissionsGranted(targetId: string, recipientId: string): Promise<string[] | null> {
    return this.grants.permissionsGranted(targetId, recipientId);
  }

  async tokenSettings(entityTypeId: string): Promise<EntityTokenSettings | null> {
    const type = await this.types.findById(entityTypeId);
    if (type === null || !type.jwtEnabled) return null;
    if (type.jwtAccessTokenKeyId === null || type.jwtTimeToLiveSeconds === null) return null;
    return {
      accessTokenKeyId: type.jwtAccessTokenKeyId,
      timeToLiveInSeconds: type.jwtTimeToLiveSeconds,
    };
  }
}

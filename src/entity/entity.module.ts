import { Global, Module } from '@nestjs/common';
import { EntityGrantController } from './entity-grant.controller';
import { EntityGrantRepository } from './entity-grant.repository';
import { EntityGrantService } from './entity-grant.service';
import { EntityTypePermissionController } from './entity-type-permission.controller';
import { EntityTypePermissionService } from './entity-type-permission.service';
import { EntityTypeController } from './entity-type.controller';
import { EntityTypeRepository } from './entity-type.repository';
import { EntityTypeService } from './entity-type.service';
import { EntityClients } from '../client-credentials/entity-clients';
import { EntityClientsFromDatabase } from './entity.clients';
import { EntityController } from './entity.controller';
import { EntityRepository } from './entity.repository';
import { EntityService } from './entity.service';

/**
 * Entity types, entities and grants. Global: the token endpoint reads the repositories,
 * and the Key API asks which types name a key before deleting it.
 */
@Global()
@Module({
  controllers: [
    EntityTypeController,
    EntityTypePermissionController,
    EntityController,
    EntityGrantController,
  ],
  providers: [
    EntityTypeRepository,
    EntityRepository,
    EntityGrantRepository,
    EntityTypeService,
    EntityTypePermissionService,
    EntityService,
    EntityGrantService,
    { provide: EntityClients, useClass: EntityClientsFromDatabase },
  ],
  exports: [EntityTypeRepository, EntityRepository, EntityGrantRepository, EntityClients],
})
export class EntityModule {}

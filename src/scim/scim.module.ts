import { Module } from '@nestjs/common';
import { ScimDiscoveryController } from './scim-discovery.controller';
import { ScimDiscoveryService } from './scim-discovery.service';
import { ScimGroupController } from './scim-group.controller';
import { ScimGroupService } from './scim-group.service';
import { ScimUserController } from './scim-user.controller';
import { ScimUserService } from './scim-user.service';

/** A SCIM 2.0 server (RFC 7643, 7644) over the users and groups of the token's tenant. */
@Module({
  controllers: [ScimDiscoveryController, ScimUserController, ScimGroupController],
  providers: [ScimDiscoveryService, ScimUserService, ScimGroupService],
})
export class ScimModule {}

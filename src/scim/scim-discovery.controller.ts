import { Controller, Get, Param, UseFilters, UseInterceptors } from '@nestjs/common';
import { Public } from '../auth/route-policy.decorator';
import { JsonObject } from '../common/fields';
import { ScimDiscoveryService } from './scim-discovery.service';
import { ScimExceptionFilter } from './scim.exception-filter';
import { RequestBase, SCIM_PATH, ScimResponseInterceptor } from './scim.response';

/**
 * Discovery needs no credentials: RFC 7644 §4 allows it, it reveals nothing of a
 * tenant, and a SCIM client may read it before it has a token.
 */
@Controller(SCIM_PATH)
@UseFilters(ScimExceptionFilter)
@UseInterceptors(ScimResponseInterceptor)
export class ScimDiscoveryController {
  constructor(private readonly discovery: ScimDiscoveryService) {}

  @Get('ServiceProviderConfig')
  @Public()
  serviceProviderConfig(@RequestBase() base: string): JsonObject {
    return this.discovery.serviceProviderConfig(base);
  }

  @Get('ResourceTypes')
  @Public()
  resourceTypes(@RequestBase() base: string): JsonObject {
    return this.discovery.resourceTypes(base);
  }

  @Get('ResourceTypes/:id')
  @Public()
  resourceType(@RequestBase() base: string, @Param('id') id: string): JsonObject {
    return this.discovery.resourceType(base, id);
  }

  @Get('Schemas')
  @Public()
  schemas(@RequestBase() base: string): JsonObject {
    return this.discovery.schemas(base);
  }

  @Get('Schemas/:id')
  @Public()
  schema(@RequestBase() base: string, @Param('id') id: string): JsonObject {
    return this.discovery.schema(base, id);
  }
}

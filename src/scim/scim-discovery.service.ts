import { Inject, Injectable } from '@nestjs/common';
import { JsonObject } from '../common/fields';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { findById, listOf, resourceTypes, schemas, serviceProviderConfig } from './scim.discovery';
import { scimBase } from './scim.tenant';

/** RFC 7644 §4: what the server supports, the resource types and their schemas. */
@Injectable()
export class ScimDiscoveryService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private base(requestBase: string): string {
    return scimBase(this.config, requestBase);
  }

  serviceProviderConfig(requestBase: string): JsonObject {
    return serviceProviderConfig(this.base(requestBase));
  }

  resourceTypes(requestBase: string): JsonObject {
    return listOf(resourceTypes(this.base(requestBase)));
  }

  resourceType(requestBase: string, id: string): JsonObject {
    return findById(resourceTypes(this.base(requestBase)), id, 'ResourceType');
  }

  schemas(requestBase: string): JsonObject {
    return listOf(schemas(this.base(requestBase)));
  }

  schema(requestBase: string, id: string): JsonObject {
    return findById(schemas(this.base(requestBase)), id, 'Schema');
  }
}

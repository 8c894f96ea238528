import {
  Body,
  Controller,
  Delete,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { Authenticated } from '../auth/route-policy.decorator';
import { ApiError } from '../common/api-error';
import { JsonObject } from '../common/fields';
import { patchModeOf } from '../common/merge-patch';
import { pathId, queryValue } from '../common/query';
import { EntityTypePermissionService } from './entity-type-permission.service';

const PERMISSION = { endpoint: '/api/entity/type/permission' } as const;
const TYPE_ID = 'entityTypeId';
const ID = 'permissionId';

/** The permissions of an entity type; global-only, as the types are. */
@Controller('api/entity/type/:entityTypeId/permission')
export class EntityTypePermissionController {
  constructor(private readonly permissions: EntityTypePermissionService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(PERMISSION)
  create(@Param(TYPE_ID) typeId: string, @Body() body: unknown): Promise<JsonObject> {
    return this.permissions.create(pathId(typeId, TYPE_ID), null, body);
  }

  @Post(':permissionId')
  @HttpCode(200)
  @Authenticated(PERMISSION)
  createWithId(
    @Param(TYPE_ID) typeId: string,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.permissions.create(pathId(typeId, TYPE_ID), pathId(id, ID), body);
  }

  @Put(':permissionId')
  @Authenticated(PERMISSION)
  update(
    @Param(TYPE_ID) typeId: string,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.permissions.update(pathId(typeId, TYPE_ID), pathId(id, ID), body);
  }

  @Patch(':permissionId')
  @Authenticated(PERMISSION)
  patch(
    @Param(TYPE_ID) typeId: string,
    @Param(ID) id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    const mode = patchModeOf(contentType);
    return this.permissions.patch(pathId(typeId, TYPE_ID), pathId(id, ID), body, mode);
  }

  @Delete(':permissionId')
  @Authenticated(PERMISSION)
  delete(@Param(TYPE_ID) typeId: string, @Param(ID) id: string): Promise<void> {
    return this.permissions.delete(pathId(typeId, TYPE_ID), pathId(id, ID));
  }

  /** `?name=`: FusionAuth's other way to name the permission. */
  @Delete()
  @Authenticated(PERMISSION)
  deleteByName(@Param(TYPE_ID) typeId: string, @Query('name') name: unknown): Promise<void> {
    const value = queryValue(name);
    if (value === null) throw ApiError.field('missing', 'name');
    return this.permissions.deleteByName(pathId(typeId, TYPE_ID), value);
  }
}

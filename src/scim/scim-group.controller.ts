import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { Caller, CurrentCaller } from '../auth/principal';
import { JsonObject } from '../common/fields';
import { ScimExceptionFilter } from './scim.exception-filter';
import { readListQuery } from './scim.list';
import { RequestBase, SCIM_PATH, ScimAccess, ScimResponseInterceptor } from './scim.response';
import { ScimGroupService } from './scim-group.service';

/** RFC 7644 §3 over the tenant's groups; statuses as the RFC says (201 create, 204 delete). */
@Controller(`${SCIM_PATH}/Groups`)
@UseFilters(ScimExceptionFilter)
@UseInterceptors(ScimResponseInterceptor)
export class ScimGroupController {
  constructor(private readonly groups: ScimGroupService) {}

  @Get()
  @ScimAccess('scim:group:read')
  list(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    return this.groups.list(caller, base, readListQuery(query));
  }

  @Post()
  @HttpCode(201)
  @ScimAccess('scim:group:create')
  create(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.groups.create(caller, base, body);
  }

  @Get(':id')
  @ScimAccess('scim:group:read')
  retrieve(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Param('id') id: string,
  ): Promise<JsonObject> {
    return this.groups.retrieve(caller, base, id);
  }

  @Put(':id')
  @ScimAccess('scim:group:update')
  replace(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.groups.replace(caller, base, id, body);
  }

  @Patch(':id')
  @ScimAccess('scim:group:update')
  patch(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.groups.patch(caller, base, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ScimAccess('scim:group:delete')
  delete(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<void> {
    return this.groups.delete(caller, id);
  }
}

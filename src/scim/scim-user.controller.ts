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
import { ScimUserService } from './scim-user.service';

/** RFC 7644 §3 over the tenant's users; statuses as the RFC says (201 create, 204 delete). */
@Controller(`${SCIM_PATH}/Users`)
@UseFilters(ScimExceptionFilter)
@UseInterceptors(ScimResponseInterceptor)
export class ScimUserController {
  constructor(private readonly users: ScimUserService) {}

  @Get()
  @ScimAccess('scim:user:read')
  list(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    return this.users.list(caller, base, readListQuery(query));
  }

  @Post()
  @HttpCode(201)
  @ScimAccess('scim:user:create')
  create(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.users.create(caller, base, body);
  }

  @Get(':id')
  @ScimAccess('scim:user:read')
  retrieve(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Param('id') id: string,
  ): Promise<JsonObject> {
    return this.users.retrieve(caller, base, id);
  }

  @Put(':id')
  @ScimAccess('scim:user:update')
  replace(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.users.replace(caller, base, id, body);
  }

  @Patch(':id')
  @ScimAccess('scim:user:update')
  patch(
    @CurrentCaller() caller: Caller,
    @RequestBase() base: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.users.patch(caller, base, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ScimAccess('scim:user:delete')
  delete(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<void> {
    return this.users.delete(caller, id);
  }
}

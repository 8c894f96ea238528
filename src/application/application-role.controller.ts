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
import { Caller, CurrentCaller } from '../auth/principal';
import { Authenticated } from '../auth/route-policy.decorator';
import { JsonObject } from '../common/fields';
import { patchModeOf } from '../common/merge-patch';
import { pathId, queryValue } from '../common/query';
import { ApplicationRoleService } from './application-role.service';

const ROLE = { endpoint: '/api/application/role' } as const;
const APP = 'applicationId';
const ID = 'roleId';

@Controller('api/application/:applicationId/role')
export class ApplicationRoleController {
  constructor(private readonly roles: ApplicationRoleService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(ROLE)
  create(
    @CurrentCaller() caller: Caller,
    @Param(APP) applicationId: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.roles.create(caller, pathId(applicationId, APP), null, body);
  }

  @Post(':roleId')
  @HttpCode(200)
  @Authenticated(ROLE)
  createWithId(
    @CurrentCaller() caller: Caller,
    @Param(APP) applicationId: string,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.roles.create(caller, pathId(applicationId, APP), pathId(id, ID), body);
  }

  @Put(':roleId')
  @Authenticated(ROLE)
  update(
    @CurrentCaller() caller: Caller,
    @Param(APP) applicationId: string,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.roles.update(caller, pathId(applicationId, APP), pathId(id, ID), body);
  }

  @Patch(':roleId')
  @Authenticated(ROLE)
  patch(
    @CurrentCaller() caller: Caller,
    @Param(APP) applicationId: string,
    @Param(ID) id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    const mode = patchModeOf(contentType);
    return this.roles.patch(caller, pathId(applicationId, APP), pathId(id, ID), body, mode);
  }

  @Delete(':roleId')
  @Authenticated(ROLE)
  delete(
    @CurrentCaller() caller: Caller,
    @Param(APP) applicationId: string,
    @Param(ID) id: string,
  ): Promise<void> {
    return this.roles.delete(caller, pathId(applicationId, APP), pathId(id, ID));
  }

  /** `?name=`: the role of that name. */
  @Delete()
  @Authenticated(ROLE)
  deleteByName(
    @CurrentCaller() caller: Caller,
    @Param(APP) applicationId: string,
    @Query('name') name: unknown,
  ): Promise<void> {
    return this.roles.deleteByName(caller, pathId(applicationId, APP), queryValue(name));
  }
}

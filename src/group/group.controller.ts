import {
  Body,
  Controller,
  Delete,
  Get,
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
import { Fields, JsonObject } from '../common/fields';
import { patchModeOf } from '../common/merge-patch';
import { pathId, queryFields } from '../common/query';
import { readNameSearch } from '../common/search';
import { GroupService } from './group.service';

const GROUP = { endpoint: '/api/group' } as const;
const SEARCH = { endpoint: '/api/group/search' } as const;
const ID = 'groupId';

@Controller('api/group')
export class GroupController {
  constructor(private readonly groups: GroupService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(GROUP)
  create(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.groups.create(caller, null, body);
  }

  @Get('search')
  @Authenticated(SEARCH)
  searchByQuery(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    return this.groups.search(caller, readNameSearch(queryFields(query)));
  }

  @Post('search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.groups.search(caller, readNameSearch(Fields.root(body, 'search').inner));
  }

  @Post(':groupId')
  @HttpCode(200)
  @Authenticated(GROUP)
  createWithId(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.groups.create(caller, pathId(id, ID), body);
  }

  @Get()
  @Authenticated(GROUP)
  list(@CurrentCaller() caller: Caller): Promise<JsonObject> {
    return this.groups.list(caller);
  }

  @Get(':groupId')
  @Authenticated(GROUP)
  retrieve(@CurrentCaller() caller: Caller, @Param(ID) id: string): Promise<JsonObject> {
    return this.groups.retrieve(caller, pathId(id, ID));
  }

  @Put(':groupId')
  @Authenticated(GROUP)
  update(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.groups.update(caller, pathId(id, ID), body);
  }

  @Patch(':groupId')
  @Authenticated(GROUP)
  patch(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.groups.patch(caller, pathId(id, ID), body, patchModeOf(contentType));
  }

  @Delete(':groupId')
  @Authenticated(GROUP)
  delete(@CurrentCaller() caller: Caller, @Param(ID) id: string): Promise<void> {
    return this.groups.delete(caller, pathId(id, ID));
  }
}

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
import { readGlobalNameSearch } from '../common/search';
import { IpAclService } from './ip-acl.service';

const ACL = { endpoint: '/api/ip-acl' } as const;
const SEARCH = { endpoint: '/api/ip-acl/search' } as const;
const ID = 'ipAccessControlListId';

@Controller('api/ip-acl')
export class IpAclController {
  constructor(private readonly lists: IpAclService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(ACL)
  create(@Body() body: unknown): Promise<JsonObject> {
    return this.lists.create(null, body);
  }

  @Get('search')
  @Authenticated(SEARCH)
  searchByQuery(@Query() query: Record<string, unknown>): Promise<JsonObject> {
    return this.lists.search(readGlobalNameSearch(queryFields(query)));
  }

  @Post('search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@Body() body: unknown): Promise<JsonObject> {
    return this.lists.search(readGlobalNameSearch(Fields.root(body, 'search').inner));
  }

  @Post(':ipAccessControlListId')
  @HttpCode(200)
  @Authenticated(ACL)
  createWithId(@Param(ID) id: string, @Body() body: unknown): Promise<JsonObject> {
    return this.lists.create(pathId(id, ID), body);
  }

  @Get(':ipAccessControlListId')
  @Authenticated(ACL)
  retrieve(@Param(ID) id: string): Promise<JsonObject> {
    return this.lists.retrieve(pathId(id, ID));
  }

  @Put(':ipAccessControlListId')
  @Authenticated(ACL)
  update(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.lists.update(caller, pathId(id, ID), body);
  }

  @Patch(':ipAccessControlListId')
  @Authenticated(ACL)
  patch(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.lists.patch(caller, pathId(id, ID), body, patchModeOf(contentType));
  }

  @Delete(':ipAccessControlListId')
  @Authenticated(ACL)
  delete(@CurrentCaller() caller: Caller, @Param(ID) id: string): Promise<void> {
    return this.lists.delete(caller, pathId(id, ID));
  }
}

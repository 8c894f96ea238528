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
import { pathId, queryFlag } from '../common/query';
import { readHardDelete } from './user.dto';
import { readUserLookup } from './user.lookup';
import { readUserSearch, readUserSearchQuery } from './user.search';
import { UserService } from './user.service';

const USER = { endpoint: '/api/user' } as const;
const SEARCH = { endpoint: '/api/user/search' } as const;

@Controller('api/user')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(USER)
  create(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.users.create(caller, null, body);
  }

  @Get('search')
  @Authenticated(SEARCH)
  searchByQuery(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    return this.users.search(caller, readUserSearchQuery(query));
  }

  @Post('search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.users.search(caller, readUserSearch(Fields.root(body, 'search').inner));
  }

  @Post(':userId')
  @HttpCode(200)
  @Authenticated(USER)
  createWithId(
    @CurrentCaller() caller: Caller,
    @Param('userId') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.users.create(caller, pathId(id, 'userId'), body);
  }

  /**
   * With an API key: `?email=`, `?username=` or `?loginId=[&loginIdTypes=]`. With a user
   * JWT: that user (FusionAuth's deprecated self lookup), whatever the query names.
   */
  @Get()
  @Authenticated({ ...USER, jwt: true })
  retrieveBy(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    if (caller.principal.kind === 'user') return this.users.retrieveSelf(caller);
    return this.users.retrieveBy(caller, readUserLookup(query));
  }

  @Get(':userId')
  @Authenticated(USER)
  retrieve(@CurrentCaller() caller: Caller, @Param('userId') id: string): Promise<JsonObject> {
    return this.users.retrieve(caller, pathId(id, 'userId'));
  }

  /** `?reactivate=true` reactivates a deactivated user (the body is not read). */
  @Put(':userId')
  @Authenticated(USER)
  update(
    @CurrentCaller() caller: Caller,
    @Param('userId') id: string,
    @Query('reactivate') reactivate: unknown,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return queryFlag(reactivate)
      ? this.users.reactivate(caller, pathId(id, 'userId'))
      : this.users.update(caller, pathId(id, 'userId'), body);
  }

  @Patch(':userId')
  @Authenticated(USER)
  patch(
    @CurrentCaller() caller: Caller,
    @Param('userId') id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.users.patch(caller, pathId(id, 'userId'), body, patchModeOf(contentType));
  }

  /** Deactivates, or removes with `?hardDelete=true` or a body `{"hardDelete": true}`. */
  @Delete(':userId')
  @Authenticated(USER)
  delete(
    @CurrentCaller() caller: Caller,
    @Param('userId') id: string,
    @Query('hardDelete') hardDelete: unknown,
    @Body() body: unknown,
  ): Promise<void> {
    const hard = queryFlag(hardDelete) || readHardDelete(body);
    return this.users.delete(caller, pathId(id, 'userId'), hard);
  }
}

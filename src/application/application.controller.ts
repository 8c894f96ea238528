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
import { pathId, queryFields, queryFlag } from '../common/query';
import { readNameSearch } from '../common/search';
import { ApplicationService } from './application.service';

const APPLICATION = { endpoint: '/api/application' } as const;
const SEARCH = { endpoint: '/api/application/search' } as const;
const ID = 'applicationId';

@Controller('api/application')
export class ApplicationController {
  constructor(private readonly applications: ApplicationService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(APPLICATION)
  create(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.applications.create(caller, null, body);
  }

  @Get('search')
  @Authenticated(SEARCH)
  searchByQuery(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    return this.applications.search(caller, readNameSearch(queryFields(query)));
  }

  @Post('search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.applications.search(caller, readNameSearch(Fields.root(body, 'search').inner));
  }

  @Post(':applicationId')
  @HttpCode(200)
  @Authenticated(APPLICATION)
  createWithId(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.applications.create(caller, pathId(id, ID), body);
  }

  /** The active applications; `?inactive=true` the inactive ones. */
  @Get()
  @Authenticated(APPLICATION)
  list(@CurrentCaller() caller: Caller, @Query('inactive') inactive: unknown): Promise<JsonObject> {
    return this.applications.list(caller, queryFlag(inactive));
  }

  @Get(':applicationId')
  @Authenticated(APPLICATION)
  retrieve(@CurrentCaller() caller: Caller, @Param(ID) id: string): Promise<JsonObject> {
    return this.applications.retrieve(caller, pathId(id, ID));
  }

  @Put(':applicationId')
  @Authenticated(APPLICATION)
  update(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Query('reactivate') reactivate: unknown,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.applications.update(caller, pathId(id, ID), body, queryFlag(reactivate));
  }

  @Patch(':applicationId')
  @Authenticated(APPLICATION)
  patch(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.applications.patch(caller, pathId(id, ID), body, patchModeOf(contentType));
  }

  /** Deactivates; `?hardDelete=true` removes it for good. */
  @Delete(':applicationId')
  @Authenticated(APPLICATION)
  delete(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Query('hardDelete') hardDelete: unknown,
  ): Promise<void> {
    return this.applications.delete(caller, pathId(id, ID), queryFlag(hardDelete));
  }
}

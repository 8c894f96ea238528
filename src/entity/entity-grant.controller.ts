import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Caller, CurrentCaller } from '../auth/principal';
import { Authenticated } from '../auth/route-policy.decorator';
import { Fields, JsonObject } from '../common/fields';
import { pathId, queryFields } from '../common/query';
import { readGranteeQuery, readGrantSearch } from './entity-grant.dto';
import { EntityGrantService } from './entity-grant.service';

const GRANT = { endpoint: '/api/entity/grant' } as const;
const SEARCH = { endpoint: '/api/entity/grant/search' } as const;
const ID = 'entityId';

/** Grants of an entity. An upsert answers 200 with no body, as FusionAuth's does. */
@Controller('api/entity')
export class EntityGrantController {
  constructor(private readonly grants: EntityGrantService) {}

  @Post(':entityId/grant')
  @HttpCode(200)
  @Authenticated(GRANT)
  create(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    return this.grants.upsert(caller, pathId(id, ID), body);
  }

  @Put(':entityId/grant')
  @Authenticated(GRANT)
  update(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    return this.grants.upsert(caller, pathId(id, ID), body);
  }

  /** With `?recipientEntityId=` or `?userId=`, that grant; else all the entity gave. */
  @Get(':entityId/grant')
  @Authenticated(GRANT)
  retrieve(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    const entityId = pathId(id, ID);
    return this.grants.retrieve(caller, entityId, readGranteeQuery(query, false));
  }

  @Delete(':entityId/grant')
  @Authenticated(GRANT)
  delete(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const entityId = pathId(id, ID);
    return this.grants.delete(caller, entityId, readGranteeQuery(query, true)!);
  }

  @Get('grant/search')
  @Authenticated(SEARCH)
  searchByQuery(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    return this.grants.search(caller, readGrantSearch(queryFields(query)));
  }

  @Post('grant/search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.grants.search(caller, readGrantSearch(Fields.root(body, 'search').inner));
  }
}

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
import { pathId } from '../common/query';
import { readEntitySearch, readEntitySearchQuery } from './entity.dto';
import { EntityService } from './entity.service';

const ENTITY = { endpoint: '/api/entity' } as const;
const SEARCH = { endpoint: '/api/entity/search' } as const;
const ID = 'entityId';

@Controller('api/entity')
export class EntityController {
  constructor(private readonly entities: EntityService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(ENTITY)
  create(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.entities.create(caller, null, body);
  }

  /** `?ids=..&ids=..` or `?queryString=`. */
  @Get('search')
  @Authenticated(SEARCH)
  searchByQuery(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    return this.entities.search(caller, readEntitySearchQuery(query));
  }

  @Post('search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.entities.search(caller, readEntitySearch(Fields.root(body, 'search').inner));
  }

  /** The client's refreshEntitySearchIndex: searches read the database, so nothing to do. */
  @Put('search')
  @Authenticated(SEARCH)
  refreshIndex(): void {}

  @Post(':entityId')
  @HttpCode(200)
  @Authenticated(ENTITY)
  createWithId(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.entities.create(caller, pathId(id, ID), body);
  }

  @Get(':entityId')
  @Authenticated(ENTITY)
  retrieve(@CurrentCaller() caller: Caller, @Param(ID) id: string): Promise<JsonObject> {
    return this.entities.retrieve(caller, pathId(id, ID));
  }

  @Put(':entityId')
  @Authenticated(ENTITY)
  update(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.entities.update(caller, pathId(id, ID), body);
  }

  @Patch(':entityId')
  @Authenticated(ENTITY)
  patch(
    @CurrentCaller() caller: Caller,
    @Param(ID) id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.entities.patch(caller, pathId(id, ID), body, patchModeOf(contentType));
  }

  @Delete(':entityId')
  @Authenticated(ENTITY)
  delete(@CurrentCaller() caller: Caller, @Param(ID) id: string): Promise<void> {
    return this.entities.delete(caller, pathId(id, ID));
  }
}

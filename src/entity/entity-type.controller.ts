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
import { Authenticated } from '../auth/route-policy.decorator';
import { Fields, JsonObject } from '../common/fields';
import { patchModeOf } from '../common/merge-patch';
import { pathId, queryFields } from '../common/query';
import { readEntityTypeSearch } from './entity-type.dto';
import { EntityTypeService } from './entity-type.service';

const TYPE = { endpoint: '/api/entity/type' } as const;
const SEARCH = { endpoint: '/api/entity/type/search' } as const;
const ID = 'entityTypeId';

/** FusionAuth's Entity Type API. Global-only (the permission table says so). */
@Controller('api/entity/type')
export class EntityTypeController {
  constructor(private readonly types: EntityTypeService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(TYPE)
  create(@Body() body: unknown): Promise<JsonObject> {
    return this.types.create(null, body);
  }

  @Get('search')
  @Authenticated(SEARCH)
  searchByQuery(@Query() query: Record<string, unknown>): Promise<JsonObject> {
    return this.types.search(readEntityTypeSearch(queryFields(query)));
  }

  @Post('search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@Body() body: unknown): Promise<JsonObject> {
    return this.types.search(readEntityTypeSearch(Fields.root(body, 'search').inner));
  }

  @Post(':entityTypeId')
  @HttpCode(200)
  @Authenticated(TYPE)
  createWithId(@Param(ID) id: string, @Body() body: unknown): Promise<JsonObject> {
    return this.types.create(pathId(id, ID), body);
  }

  @Get()
  @Authenticated(TYPE)
  list(): Promise<JsonObject> {
    return this.types.list();
  }

  @Get(':entityTypeId')
  @Authenticated(TYPE)
  retrieve(@Param(ID) id: string): Promise<JsonObject> {
    return this.types.retrieve(pathId(id, ID));
  }

  @Put(':entityTypeId')
  @Authenticated(TYPE)
  update(@Param(ID) id: string, @Body() body: unknown): Promise<JsonObject> {
    return this.types.update(pathId(id, ID), body);
  }

  @Patch(':entityTypeId')
  @Authenticated(TYPE)
  patch(
    @Param(ID) id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.types.patch(pathId(id, ID), body, patchModeOf(contentType));
  }

  @Delete(':entityTypeId')
  @Authenticated(TYPE)
  delete(@Param(ID) id: string): Promise<void> {
    return this.types.delete(pathId(id, ID));
  }
}

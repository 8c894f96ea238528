import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Authenticated } from '../auth/route-policy.decorator';
import { Fields, JsonObject } from '../common/fields';
import { pathId, queryFields } from '../common/query';
import { readKeySearch } from './signing-key.dto';
import { SigningKeyService } from './signing-key.service';

const KEY = { endpoint: '/api/key' } as const;
const GENERATE = { endpoint: '/api/key/generate' } as const;
const IMPORT = { endpoint: '/api/key/import' } as const;
const SEARCH = { endpoint: '/api/key/search' } as const;
const ID = 'keyId';

/** FusionAuth's Key API. Every endpoint is global-only (the permission table says so). */
@Controller('api/key')
export class SigningKeyController {
  constructor(private readonly keys: SigningKeyService) {}

  @Get()
  @Authenticated(KEY)
  list(): Promise<JsonObject> {
    return this.keys.list();
  }

  @Get('search')
  @Authenticated(SEARCH)
  searchByQuery(@Query() query: Record<string, unknown>): Promise<JsonObject> {
    return this.keys.search(readKeySearch(queryFields(query)));
  }

  @Post('search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@Body() body: unknown): Promise<JsonObject> {
    return this.keys.search(readKeySearch(Fields.root(body, 'search').inner));
  }

  @Post('generate')
  @HttpCode(200)
  @Authenticated(GENERATE)
  generate(@Body() body: unknown): Promise<JsonObject> {
    return this.keys.generate(null, body);
  }

  @Post('generate/:keyId')
  @HttpCode(200)
  @Authenticated(GENERATE)
  generateWithId(@Param(ID) id: string, @Body() body: unknown): Promise<JsonObject> {
    return this.keys.generate(pathId(id, ID), body);
  }

  @Post('import')
  @HttpCode(200)
  @Authenticated(IMPORT)
  import(@Body() body: unknown): Promise<JsonObject> {
    return this.keys.import(null, body);
  }

  @Post('import/:keyId')
  @HttpCode(200)
  @Authenticated(IMPORT)
  importWithId(@Param(ID) id: string, @Body() body: unknown): Promise<JsonObject> {
    return this.keys.import(pathId(id, ID), body);
  }

  @Get(':keyId')
  @Authenticated(KEY)
  retrieve(@Param(ID) id: string): Promise<JsonObject> {
    return this.keys.retrieve(pathId(id, ID));
  }

  @Put(':keyId')
  @Authenticated(KEY)
  rename(@Param(ID) id: string, @Body() body: unknown): Promise<JsonObject> {
    return this.keys.rename(pathId(id, ID), body);
  }

  @Delete(':keyId')
  @Authenticated(KEY)
  delete(@Param(ID) id: string): Promise<void> {
    return this.keys.delete(pathId(id, ID));
  }
}

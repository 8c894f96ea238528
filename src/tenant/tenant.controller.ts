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
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Caller, CurrentCaller } from '../auth/principal';
import { Authenticated } from '../auth/route-policy.decorator';
import { Fields, JsonObject } from '../common/fields';
import { patchModeOf } from '../common/merge-patch';
import { pathId, queryFields, queryFlag } from '../common/query';
import { readGlobalNameSearch } from '../common/search';
import { TenantService } from './tenant.service';

const TENANT = { endpoint: '/api/tenant' } as const;
const SEARCH = { endpoint: '/api/tenant/search' } as const;

@Controller('api/tenant')
export class TenantController {
  constructor(private readonly tenants: TenantService) {}

  @Post()
  @HttpCode(200)
  @Authenticated(TENANT)
  create(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.tenants.create(caller, null, body);
  }

  @Get('search')
  @Authenticated(SEARCH)
  searchByQuery(@Query() query: Record<string, unknown>): Promise<JsonObject> {
    return this.tenants.search(readGlobalNameSearch(queryFields(query)));
  }

  @Post('search')
  @HttpCode(200)
  @Authenticated(SEARCH)
  searchByBody(@Body() body: unknown): Promise<JsonObject> {
    return this.tenants.search(readGlobalNameSearch(Fields.root(body, 'search').inner));
  }

  @Post(':tenantId')
  @HttpCode(200)
  @Authenticated(TENANT)
  createWithId(
    @CurrentCaller() caller: Caller,
    @Param('tenantId') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.tenants.create(caller, pathId(id, 'tenantId'), body);
  }

  @Get()
  @Authenticated(TENANT)
  list(@CurrentCaller() caller: Caller): Promise<JsonObject> {
    return this.tenants.list(caller);
  }

  @Get(':tenantId')
  @Authenticated(TENANT)
  retrieve(@CurrentCaller() caller: Caller, @Param('tenantId') id: string): Promise<JsonObject> {
    return this.tenants.retrieve(caller, pathId(id, 'tenantId'));
  }

  @Put(':tenantId')
  @Authenticated(TENANT)
  update(
    @CurrentCaller() caller: Caller,
    @Param('tenantId') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.tenants.update(caller, pathId(id, 'tenantId'), body);
  }

  @Patch(':tenantId')
  @Authenticated(TENANT)
  patch(
    @CurrentCaller() caller: Caller,
    @Param('tenantId') id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.tenants.patch(caller, pathId(id, 'tenantId'), body, patchModeOf(contentType));
  }

  /** `?async=true` (or `{"async": true}`) answers 202 as FusionAuth does; the work is done before answering. */
  @Delete(':tenantId')
  @Authenticated(TENANT)
  async delete(
    @CurrentCaller() caller: Caller,
    @Param('tenantId') id: string,
    @Query('async') asyncQuery: unknown,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.tenants.delete(caller, pathId(id, 'tenantId'));
    if (queryFlag(asyncQuery) || Fields.root(body ?? {}, 'tenant').top.boolean('async') === true)
      reply.code(202);
  }
}

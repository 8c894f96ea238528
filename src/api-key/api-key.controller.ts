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
import { JsonObject } from '../common/fields';
import { patchModeOf } from '../common/merge-patch';
import { pathId, queryInteger } from '../common/query';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/search';
import { ApiKeyAudit } from './api-key.audit';
import { keyListOrder } from './api-key.dto';
import { ApiKeyService } from './api-key.service';

const MANAGER = { keyManager: true } as const;

@Controller('api/api-key')
export class ApiKeyController {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly audit: ApiKeyAudit,
  ) {}

  /** Portcullis extension: the audit trail of the keys this caller may see. */
  @Get('audit')
  @Authenticated(MANAGER)
  auditTrail(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    return this.audit.list(caller, query);
  }

  @Post()
  @HttpCode(200)
  @Authenticated(MANAGER)
  create(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.keys.create(caller, null, body);
  }

  @Post(':keyId')
  @HttpCode(200)
  @Authenticated(MANAGER)
  createWithId(
    @CurrentCaller() caller: Caller,
    @Param('keyId') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.keys.create(caller, pathId(id, 'keyId'), body);
  }

  /** Portcullis extension: the keys this caller may see, paginated. */
  @Get()
  @Authenticated(MANAGER)
  list(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
  ): Promise<JsonObject> {
    const startRow = queryInteger(query.startRow, 'startRow', 0, Number.MAX_SAFE_INTEGER);
    const numberOfResults = queryInteger(
      query.numberOfResults,
      'numberOfResults',
      DEFAULT_PAGE_SIZE,
      MAX_PAGE_SIZE,
    );
    return this.keys.list(caller, startRow, numberOfResults, keyListOrder(query.orderBy));
  }

  /** Portcullis extension: a new value, the old one working until the grace instant. */
  @Post(':keyId/rotate')
  @HttpCode(200)
  @Authenticated(MANAGER)
  rotate(
    @CurrentCaller() caller: Caller,
    @Param('keyId') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.keys.rotate(caller, pathId(id, 'keyId'), body);
  }

  @Get(':keyId')
  @Authenticated(MANAGER)
  retrieve(@CurrentCaller() caller: Caller, @Param('keyId') id: string): Promise<JsonObject> {
    return this.keys.retrieve(caller, pathId(id, 'keyId'));
  }

  @Put(':keyId')
  @Authenticated(MANAGER)
  update(
    @CurrentCaller() caller: Caller,
    @Param('keyId') id: string,
    @Body() body: unknown,
  ): Promise<JsonObject> {
    return this.keys.update(caller, pathId(id, 'keyId'), body);
  }

  @Patch(':keyId')
  @Authenticated(MANAGER)
  patch(
    @CurrentCaller() caller: Caller,
    @Param('keyId') id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<JsonObject> {
    return this.keys.patch(caller, pathId(id, 'keyId'), body, patchModeOf(contentType));
  }

  @Delete(':keyId')
  @Authenticated(MANAGER)
  delete(@CurrentCaller() caller: Caller, @Param('keyId') id: string): Promise<void> {
    return this.keys.delete(caller, pathId(id, 'keyId'));
  }
}

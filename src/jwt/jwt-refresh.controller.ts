import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieValues } from '../auth/credentials';
import { Caller, CurrentCaller } from '../auth/principal';
import { Authenticated, Public } from '../auth/route-policy.decorator';
import { isForm } from '../common/form';
import { JsonObject } from '../common/fields';
import { pathId, queryValue } from '../common/query';
import { parseUuid } from '../common/uuid';
import { ApiError } from '../common/api-error';
import { REFRESH_TOKEN_COOKIE } from '../login/login.cookies';
import { JwtRefreshService } from './jwt-refresh.service';

const REFRESH = { endpoint: '/api/jwt/refresh' } as const;
const ID = 'tokenId';

/** A UUID query parameter, absent when not sent (or sent as `undefined`/`null`). */
function queryId(value: unknown, field: string): string | null {
  const raw = queryValue(value);
  if (raw === null) return null;
  const id = parseUuid(raw);
  if (id === null) throw ApiError.field('couldNotConvert', field);
  return id;
}

/** `token` from the query, else from a form body (FusionAuth takes either). */
function tokenOf(query: unknown, body: unknown): string | null {
  const fromQuery = queryValue(query);
  if (fromQuery !== null) return fromQuery;
  return isForm(body) ? (body.token?.[0] ?? null) || null : null;
}

/** FusionAuth's refresh-token API under /api/jwt/refresh. */
@Controller('api/jwt/refresh')
export class JwtRefreshController {
  constructor(private readonly tokens: JwtRefreshService) {}

  /** No credential: the refresh token is one. The `refresh_token` cookie wins over the body. */
  @Post()
  @HttpCode(200)
  @Public()
  async exchange(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject> {
    const cookie = cookieValues(request, REFRESH_TOKEN_COOKIE)[0] || null;
    const outcome = await this.tokens.exchange(body, cookie);
    void reply.header('set-cookie', outcome.cookies);
    return outcome.body;
  }

  @Get()
  @Authenticated(REFRESH)
  list(@CurrentCaller() caller: Caller, @Query('userId') userId: unknown): Promise<JsonObject> {
    return this.tokens.listForUser(caller, queryId(userId, 'userId'));
  }

  @Get(':tokenId')
  @Authenticated(REFRESH)
  retrieve(@CurrentCaller() caller: Caller, @Param(ID) id: string): Promise<JsonObject> {
    return this.tokens.retrieve(caller, pathId(id, ID));
  }

  /** By `token` (query or form body), `userId` and/or `applicationId`; a user's JWT: its own token only. */
  @Delete()
  @Authenticated({ ...REFRESH, jwt: true })
  revoke(
    @CurrentCaller() caller: Caller,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
  ): Promise<void> {
    return this.tokens.revoke(caller, {
      token: tokenOf(query.token, body),
      userId: queryId(query.userId, 'userId'),
      applicationId: queryId(query.applicationId, 'applicationId'),
    });
  }

  @Delete(':tokenId')
  @Authenticated({ ...REFRESH, jwt: true })
  revokeById(@CurrentCaller() caller: Caller, @Param(ID) id: string): Promise<void> {
    return this.tokens.revoke(caller, { id: pathId(id, ID) });
  }
}

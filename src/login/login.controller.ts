import { Body, Controller, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieValues } from '../auth/credentials';
import { Caller, CurrentCaller } from '../auth/principal';
import { Authenticated, Public } from '../auth/route-policy.decorator';
import { TENANT_HEADER } from '../auth/tenant-resolution';
import { JsonObject } from '../common/fields';
import { pathId, queryFlag, queryValue } from '../common/query';
import { REFRESH_TOKEN_COOKIE } from './login.cookies';
import { LoginContext, LoginService } from './login.service';
import { LoginOutcome, LoginSessions } from './login.session';

const LOGIN = { endpoint: '/api/login' } as const;

function contextOf(request: FastifyRequest): LoginContext {
  return {
    tenantHeader: request.headers[TENANT_HEADER],
    socketAddress: request.raw.socket.remoteAddress,
    forwardedFor: request.headers['x-forwarded-for'],
  };
}

/** Status and cookies onto the reply; the body (none: empty, no content type) returned. */
function answer(reply: FastifyReply, outcome: LoginOutcome): JsonObject | undefined {
  void reply.code(outcome.status);
  if (outcome.cookies.length > 0) void reply.header('set-cookie', outcome.cookies);
  return outcome.body ?? undefined;
}

/** FusionAuth's Login API: login, login ping, logout. */
@Controller('api')
export class LoginController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: LoginSessions,
  ) {}

  /** Credentials are optional here: whether this login needs a key is the service's call. */
  @Post('login')
  @Authenticated({ ...LOGIN, optional: true })
  async login(
    @CurrentCaller() caller: Caller,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject | undefined> {
    return answer(reply, await this.logins.login(caller, body, contextOf(request)));
  }

  @Put('login/:userId')
  @Authenticated(LOGIN)
  async ping(
    @CurrentCaller() caller: Caller,
    @Param('userId') userId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<undefined> {
    answer(reply, await this.logins.ping(caller, pathId(userId, 'userId'), null));
    return undefined;
  }

  @Put('login/:userId/:applicationId')
  @Authenticated(LOGIN)
  async pingApplication(
    @CurrentCaller() caller: Caller,
    @Param('userId') userId: string,
    @Param('applicationId') applicationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<undefined> {
    const application = pathId(applicationId, 'applicationId');
    answer(reply, await this.logins.ping(caller, pathId(userId, 'userId'), application));
    return undefined;
  }

  /** FusionAuth's rule: the `refreshToken` parameter, when given, is used instead of the cookie. */
  @Post('logout')
  @HttpCode(200)
  @Public()
  async logout(
    @Query('global') global: unknown,
    @Query('refreshToken') refreshToken: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<undefined> {
    const token =
      queryValue(refreshToken) ?? cookieValues(request, REFRESH_TOKEN_COOKIE)[0] ?? null;
    answer(reply, await this.sessions.logout(token, queryFlag(global)));
    return undefined;
  }
}

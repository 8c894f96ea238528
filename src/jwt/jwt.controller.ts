import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieValues } from '../auth/credentials';
import { Caller, callerOf, callerUser, CurrentCaller } from '../auth/principal';
import { Authenticated, UserJwt } from '../auth/route-policy.decorator';
import { JsonObject } from '../common/fields';
import { Direct } from '../common/direct-route';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { queryValue } from '../common/query';
import { REFRESH_TOKEN_COOKIE } from '../login/login.cookies';
import { JwtIssueService } from './jwt-issue.service';
import { JwtVendService } from './jwt-vend.service';
import type { VerifiedJwt } from './jwt.verifier';

/** FusionAuth's JWT API: validate, issue, vend (refresh tokens: JwtRefreshController). */
@Controller('api/jwt')
export class JwtController {
  /**
   * Each remembered token's validate answer, serialised once: resource servers ask about the
   * same token on every request they serve, and its claims are frozen. Null when verified
   * tokens are not remembered (each answer would be made once and dropped).
   */
  private readonly answers: WeakMap<VerifiedJwt, string> | null;

  constructor(
    private readonly issuing: JwtIssueService,
    private readonly vending: JwtVendService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.answers = config.jwtCacheMaxEntries > 0 ? new WeakMap() : null;
  }

  /** The token is the credential: a 401 when it does not verify or no longer stands. */
  @Get('validate')
  @UserJwt()
  @Direct()
  validate(request: FastifyRequest): string {
    const jwt = callerUser(callerOf(request));
    let answer = this.answers?.get(jwt);
    if (answer === undefined) {
      answer = JSON.stringify({ jwt: jwt.claims });
      this.answers?.set(jwt, answer);
    }
    return answer;
  }

  /** The `refresh_token` cookie, when sent, wins over the parameter (FusionAuth's rule). */
  @Get('issue')
  @UserJwt()
  async issue(
    @CurrentCaller() caller: Caller,
    @Query('applicationId') applicationId: unknown,
    @Query('refreshToken') refreshToken: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject> {
    const token = cookieValues(request, REFRESH_TOKEN_COOKIE)[0] ?? queryValue(refreshToken);
    const outcome = await this.issuing.issue(callerUser(caller), queryValue(applicationId), token);
    void reply.code(outcome.status);
    return outcome.body;
  }

  @Post('vend')
  @HttpCode(200)
  @Authenticated({ endpoint: '/api/jwt/vend' })
  vend(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<JsonObject> {
    return this.vending.vend(caller, body);
  }
}

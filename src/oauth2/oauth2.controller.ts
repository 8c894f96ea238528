import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/route-policy.decorator';
import { TENANT_HEADER } from '../auth/tenant-resolution';
import { AccessTokenResponse } from './oauth2.grant';
import { IntrospectionResponse, TokenIntrospection } from './oauth2.introspect';
import { TokenEndpoint } from './oauth2.token';

/** OAuth 2.0 endpoints. The client authenticates itself (form or HTTP Basic), not the route. */
@Controller('oauth2')
export class OAuth2Controller {
  constructor(
    private readonly endpoint: TokenEndpoint,
    private readonly introspection: TokenIntrospection,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Public()
  token(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AccessTokenResponse> {
    return this.endpoint.token({
      body,
      contentType: request.headers['content-type'],
      authorization: request.headers.authorization,
      tenantHeader: request.headers[TENANT_HEADER],
    });
  }

  @Post('introspect')
  @HttpCode(200)
  @Public()
  introspect(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<IntrospectionResponse> {
    return this.introspection.introspect(body, request.headers['content-type']);
  }
}

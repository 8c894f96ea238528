import { Controller, Get, Header, Headers, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TENANT_HEADER } from '../auth/tenant-resolution';
import { Public } from '../auth/route-policy.decorator';
import { EmptyResponse } from '../common/api-error';
import { JsonObject } from '../common/fields';
import { pathId, queryValue } from '../common/query';
import { parseUuid } from '../common/uuid';
import { DiscoveryService } from './discovery.service';
import { requestBaseUrl } from './openid-configuration';

function baseUrlOf(request: FastifyRequest): string {
  const socket = request.raw.socket;
  const address = socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return requestBaseUrl(request.headers.host, `${host}:${socket.localPort}`);
}

/** A tenant id from a path, query or header (null: none given); anything but a UUID names no tenant. */
function tenantIdOf(value: string | null): string | null {
  if (value === null) return null;
  const id = parseUuid(value.trim());
  if (id === null) throw EmptyResponse.notFound;
  return id;
}

/** Key publication and discovery: no credentials, as FusionAuth. */
@Controller()
export class DiscoveryController {
  constructor(private readonly discovery: DiscoveryService) {}

  /** `?kid=` or `?applicationId=` for one key; neither for every publishable key. */
  @Get('api/jwt/public-key')
  @Public()
  publicKey(@Query() query: Record<string, unknown>): Promise<JsonObject> {
    const kid = queryValue(query.kid);
    if (kid !== null) return this.discovery.publicKeyByKid(kid);
    const applicationId = queryValue(query.applicationId);
    if (applicationId !== null)
      return this.discovery.publicKeyOfApplication(pathId(applicationId, 'applicationId'));
    return this.discovery.publicKeys();
  }

  @Get('.well-known/jwks.json')
  @Public()
  @Header('cache-control', 'public, max-age=60')
  jwks(): Promise<JsonObject> {
    return this.discovery.jwks();
  }

  @Get('.well-known/openid-configuration')
  @Public()
  openIdConfiguration(
    @Req() request: FastifyRequest,
    @Query('tenantId') tenantId: unknown,
    @Headers(TENANT_HEADER) header: string | undefined,
  ): Promise<JsonObject> {
    const named = tenantIdOf(queryValue(tenantId) ?? header ?? null);
    return this.discovery.openIdConfiguration(named, baseUrlOf(request));
  }

  @Get(':tenantId/.well-known/openid-configuration')
  @Public()
  openIdConfigurationOfTenant(
    @Req() request: FastifyRequest,
    @Param('tenantId') tenantId: string,
  ): Promise<JsonObject> {
    return this.discovery.openIdConfiguration(tenantIdOf(tenantId), baseUrlOf(request));
  }
}

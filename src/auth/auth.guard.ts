import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { EmptyResponse } from '../common/api-error';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { ApiKeyCache } from '../key-cache/api-key.cache';
import { ApiKeyRecord } from '../key-cache/api-key.record';
import { TenantDirectory } from '../tenant/tenant.directory';
import { readCredential } from './credentials';
import { digestKey } from './key-digest';
import { isLoopback } from './loopback';
import { allows } from './permissions';
import { ANONYMOUS, Caller } from './principal';
import { ROUTE_POLICY, RoutePolicy } from './route-policy.decorator';
import { resolveTenant, TENANT_HEADER, unknownTenantHeader } from './tenant-resolution';

const LOOPBACK_CALLER: Caller = Object.freeze({
  principal: Object.freeze({ kind: 'loopback' }),
  tenantId: null,
});

/**
 * The one gate. A route without a policy is refused; every refusal of a credential
 * is the same empty 401, whichever check failed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly policies = new Map<unknown, RoutePolicy | null>();

  constructor(
    private readonly reflector: Reflector,
    private readonly cache: ApiKeyCache,
    private readonly tenants: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private policyOf(context: ExecutionContext): RoutePolicy | null {
    const handler = context.getHandler();
    let policy = this.policies.get(handler);
    if (policy === undefined) {
      policy = this.reflector.get<RoutePolicy | undefined>(ROUTE_POLICY, handler) ?? null;
      this.policies.set(handler, policy);
    }
    return policy;
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policyOf(context);
    if (policy === null) throw EmptyResponse.unauthorized;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (policy.public) {
      request.caller = ANONYMOUS;
      return true;
    }
    const credential = readCredential(request, policy);
    switch (credential.kind) {
      case 'invalid':
        throw EmptyResponse.unauthorized;
      case 'none':
        if (
          policy.credentials.has('loopback') &&
          this.config.localMetricsEnabled &&
          isLoopback(request.raw.socket.remoteAddress)
        ) {
          request.caller = LOOPBACK_CALLER;
          return true;
        }
        throw EmptyResponse.unauthorized;
      case 'apiKey': {
        const found = this.cache.get(digestKey(credential.key));
        if (found instanceof Promise)
          return found.then((record) => this.admit(request, policy, record));
        return this.admit(request, policy, found);
      }
    }
  }

  private admit(
    request: FastifyRequest,
    policy: RoutePolicy,
    key: ApiKeyRecord | null,
  ): boolean | Promise<boolean> {
    if (key === null) throw EmptyResponse.unauthorized;
    if (key.expirationInstant !== null && key.expirationInstant <= Date.now())
      throw EmptyResponse.unauthorized;
    if (
      policy.keyManager
        ? !key.keyManager
        : !allows(key.permissions, policy.endpoint!, request.method)
    ) {
      throw EmptyResponse.unauthorized;
    }
    const { tenantId, verify } = resolveTenant(key, policy, request.headers[TENANT_HEADER]);
    request.caller = { principal: { kind: 'apiKey', key }, tenantId };
    if (verify === null) return true;
    const exists = this.tenants.exists(verify);
    if (exists === true) return true;
    if (exists === false) throw unknownTenantHeader();
    return exists.then((found) => {
      if (!found) throw unknownTenantHeader();
      return true;
    });
  }
}

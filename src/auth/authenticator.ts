import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ApiError } from '../common/api-error';
import { sendOutcome } from '../common/exception.filter';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { ApiKeyCache } from '../key-cache/api-key.cache';
import { ApiKeyRecord } from '../key-cache/api-key.record';
import { TenantDirectory } from '../tenant/tenant.directory';
import { readCredential } from './credentials';
import { digestKey } from './key-digest';
import { isLoopback } from './loopback';
import { allows } from './permissions';
import { ANONYMOUS, Caller } from './principal';
import { policyOfRoute, RoutePolicy } from './route-policy.decorator';
import {
  TenantCheck,
  TENANT_HEADER,
  unknownTenantHeader,
  resolveTenant,
} from './tenant-resolution';

const LOOPBACK_CALLER: Caller = Object.freeze({
  principal: Object.freeze({ kind: 'loopback' }),
  tenantId: null,
});

/** A verdict: the caller, or the answer to send instead. */
type Verdict = Caller | 401 | ApiError;

/**
 * Judges every request on arrival, before its body is read, from the policy its route
 * declares. Every refusal of a credential is the same empty 401, whichever check
 * failed, answered directly: a refusal costs no more than an acceptance.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly cache: ApiKeyCache,
    private readonly tenants: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The Fastify `onRequest` hook. */
  readonly onRequest = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    const policy = policyOfRoute(request.routeOptions.config);
    // No policy: not one of ours (404); the guard refuses any such route that exists.
    if (policy === null) return done();
    const verdict = this.judge(request, policy);
    if (verdict instanceof Promise) {
      verdict.then(
        (settled) => this.conclude(request, reply, done, settled),
        (error: unknown) => sendOutcome(error, request, reply),
      );
      return;
    }
    this.conclude(request, reply, done, verdict);
  };

  private conclude(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
    verdict: Verdict,
  ): void {
    if (verdict === 401) {
      void reply.code(401).send();
      return;
    }
    if (verdict instanceof ApiError) return sendOutcome(verdict, request, reply);
    request.caller = verdict;
    done();
  }

  judge(request: FastifyRequest, policy: RoutePolicy): Verdict | Promise<Verdict> {
    if (policy.public) return ANONYMOUS;
    const credential = readCredential(request, policy);
    switch (credential.kind) {
      case 'invalid':
        return 401;
      case 'none':
        return policy.credentials.has('loopback') &&
          this.config.localMetricsEnabled &&
          isLoopback(request.raw.socket.remoteAddress)
          ? LOOPBACK_CALLER
          : 401;
      case 'apiKey': {
        const found = this.cache.get(digestKey(credential.key));
        if (found instanceof Promise) return found.then((key) => this.admit(request, policy, key));
        return this.admit(request, policy, found);
      }
    }
  }

  private admit(
    request: FastifyRequest,
    policy: RoutePolicy,
    key: ApiKeyRecord | null,
  ): Verdict | Promise<Verdict> {
    if (key === null) return 401;
    if (key.expirationInstant !== null && key.expirationInstant <= Date.now()) return 401;
    if (
      policy.keyManager
        ? !key.keyManager
        : !allows(key.permissions, policy.endpoint!, request.method)
    )
      return 401;
    const check = resolveTenant(key, policy, request.headers[TENANT_HEADER]);
    if (check === 401 || check instanceof ApiError) return check;
    const caller: Caller = { principal: { kind: 'apiKey', key }, tenantId: check.tenantId };
    return this.confirmTenant(caller, check);
  }

  private confirmTenant(caller: Caller, check: TenantCheck): Verdict | Promise<Verdict> {
    if (check.verify === null) return caller;
    const exists = this.tenants.exists(check.verify);
    if (typeof exists === 'boolean') return exists ? caller : unknownTenantHeader();
    return exists.then((found) => (found ? caller : unknownTenantHeader()));
  }
}

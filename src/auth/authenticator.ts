import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AuditTrail } from '../audit/audit.trail';
import { ApiError } from '../common/api-error';
import {
  ClientTokenVerdict,
  ClientTokenVerifier,
} from '../client-credentials/client-token.verifier';
import { sendOutcome } from '../common/exception.filter';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { chain } from '../jwt/jwt.standing';
import { JwtVerdict, JwtVerifier } from '../jwt/jwt.verifier';
import type { RateLimit, RateVerdict } from '../rate-limit/rate-limit';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { IpAclDirectory } from '../ip-acl/ip-acl.directory';
import { IpAclMatcher } from '../ip-acl/ip-acl.matcher';
import { formatIp } from '../ip-acl/ip-address';
import { ApiKeyCache } from '../key-cache/api-key.cache';
import { ApiKeyRecord } from '../key-cache/api-key.record';
import { LastUseTracker } from '../key-cache/last-use.tracker';
import { Metrics } from '../metrics/metrics.service';
import { TenantDirectory } from '../tenant/tenant.directory';
import { clientAddress, TrustedProxies } from './client-address';
import { CredentialScheme, readCredential } from './credentials';
import { digestKey } from './key-digest';
import { isLoopback } from './loopback';
import { allows } from './permissions';
import { ANONYMOUS, Caller } from './principal';
import { CredentialKindLabel, Refusal } from './refusal';
import { policyOfRoute, RoutePolicy } from './route-policy.decorator';
import {
  resolveTenant,
  TenantCheck,
  TENANT_HEADER,
  unknownTenantHeader,
} from './tenant-resolution';

const INVALID_KIND: Readonly<Record<CredentialScheme, CredentialKindLabel>> = {
  raw: 'apiKey',
  basic: 'basicApiKey',
  jwt: 'jwt',
};

/** Where a user's tenant is judged: its token names one, as a tenant-scoped key does. */
const USER_POLICY = { globalOnly: false } as const;

const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** RFC 7644 §3.12: SCIM clients read the error body, so a refusal on a SCIM route carries one. */
const SCIM_UNAUTHORIZED = JSON.stringify({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status: '401',
  detail: 'The request was not authorized.',
});

const LOOPBACK_CALLER: Caller = Object.freeze({
  principal: Object.freeze({ kind: 'loopback' }),
  tenantId: null,
});

/**
 * An answer sent from here precedes the body, which is then never read: a refused caller
 * must not make the server take in a gigabyte, trickled or not. Such a connection cannot
 * carry another request, so it is closed once the answer is out. A request without a
 * body keeps its keep-alive connection (a flood of made-up keys costs no handshakes).
 */
function closeIfBodyPending(request: FastifyRequest, reply: FastifyReply): void {
  const { headers, raw } = request;
  const declared =
    headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
  if (declared && !raw.complete) void reply.header('connection', 'close');
}

/** A key over its rate limit: 429 with the limit's headers and an empty body. */
class RateLimited {
  constructor(
    readonly keyId: string,
    readonly limit: RateLimit,
    readonly verdict: RateVerdict,
  ) {}
}

/** A verdict: the caller, a refusal (401), a 429, or another answer to send instead. */
type Verdict = Caller | Refusal | RateLimited | ApiError;

function isCaller(verdict: Verdict): verdict is Caller {
  return !(
    verdict instanceof Refusal ||
    verdict instanceof RateLimited ||
    verdict instanceof ApiError
  );
}

interface Judged {
  kind: CredentialKindLabel;
  verdict: Verdict | Promise<Verdict>;
}

/**
 * Judges every request on arrival, before its body is read, from the policy its route
 * declares. Every refusal of a credential is the same empty 401, whichever check
 * failed, answered directly (no exception): a refusal costs no more than an
 * acceptance. The reason goes to the metrics and, once, to the log, with the key id
 * and never the key.
 */
@Injectable()
export class Authenticator {
  private readonly trustedProxies: TrustedProxies;

  constructor(
    private readonly cache: ApiKeyCache,
    private readonly tenants: TenantDirectory,
    private readonly ipAcls: IpAclDirectory,
    private readonly metrics: Metrics,
    private readonly jwts: JwtVerifier,
    private readonly clientTokens: ClientTokenVerifier,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditTrail,
    private readonly lastUse: LastUseTracker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.trustedProxies = new TrustedProxies(config.trustedProxies);
  }

  /** The Fastify `onRequest` hook. */
  readonly onRequest = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    const policy = policyOfRoute(request.routeOptions.config);
    if (policy === null) {
      // Deny by default: a route that declares no policy answers 401 to everyone; only
      // Fastify's not-found handler goes on (to its 404).
      if (request.is404) return done();
      void reply.code(401).send();
      return;
    }
    const { kind, verdict } = this.judge(request, policy);
    if (verdict instanceof Promise) {
      verdict.then(
        (settled) => this.conclude(request, reply, done, policy, kind, settled),
        (error: unknown) => {
          closeIfBodyPending(request, reply);
          sendOutcome(error, request, reply);
        },
      );
      return;
    }
    this.conclude(request, reply, done, policy, kind, verdict);
  };

  private conclude(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
    policy: RoutePolicy,
    kind: CredentialKindLabel,
    verdict: Verdict,
  ): void {
    if (verdict instanceof Refusal) {
      this.metrics.refused(kind, verdict.reason);
      // A refused use of a key that exists goes to the audit trail (sampled there).
      if (verdict.keyId !== null)
        this.audit.refused(
          verdict.keyId,
          verdict.keyTenantId,
          verdict.reason,
          this.addressOf(request),
        );
      request.log.info(
        { auth: { kind, reason: verdict.reason, keyId: verdict.keyId } },
        'authentication refused',
      );
      closeIfBodyPending(request, reply);
      if (policy.refusalBody === 'scim') {
        void reply.code(401).type(SCIM_CONTENT_TYPE).send(SCIM_UNAUTHORIZED);
        return;
      }
      void reply.code(401).send();
      return;
    }
    if (verdict instanceof ApiError) {
      closeIfBodyPending(request, reply);
      return sendOutcome(verdict, request, reply);
    }
    if (verdict instanceof RateLimited) {
      this.metrics.rateLimited.inc();
      request.log.info({ auth: { kind, keyId: verdict.keyId } }, 'rate limit reached');
      closeIfBodyPending(request, reply);
      const { limit, verdict: rate } = verdict;
      void reply
        .code(429)
        .header('retry-after', String(Math.max(1, Math.ceil(rate.retryAfterMs / 1000))))
        .header('ratelimit-limit', String(limit.requests + limit.burst))
        .header('ratelimit-remaining', String(rate.remaining))
        .header('ratelimit-reset', String(Math.ceil(rate.resetMs / 1000)))
        .send();
      return;
    }
    if (verdict.principal.kind !== 'anonymous') this.metrics.accepted(kind);
    if (verdict.principal.kind === 'apiKey') this.lastUse.note(verdict.principal.key.id);
    // Only the API Key API records who changed what from where: other routes pay nothing.
    request.caller = policy.keyManager ? { ...verdict, address: this.addressOf(request) } : verdict;
    done();
  }

  private addressOf(request: FastifyRequest): string | null {
    const address = clientAddress(
      request.raw.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      this.trustedProxies,
    );
    return address === null ? null : formatIp(address);
  }

  private judge(request: FastifyRequest, policy: RoutePolicy): Judged {
    if (policy.public) return { kind: 'none', verdict: ANONYMOUS };
    const credential = readCredential(request, policy);
    switch (credential.kind) {
      case 'invalid':
        return { kind: INVALID_KIND[credential.scheme], verdict: Refusal.of('malformed') };
      case 'none':
        if (
          policy.credentials.has('loopback') &&
          this.config.localMetricsEnabled &&
          isLoopback(request.raw.socket.remoteAddress)
        ) {
          return { kind: 'loopback', verdict: LOOPBACK_CALLER };
        }
        return { kind: 'none', verdict: policy.optional ? ANONYMOUS : Refusal.of('missing') };
      case 'apiKey': {
        const kind = credential.scheme === 'basic' ? 'basicApiKey' : 'apiKey';
        const found = this.cache.get(digestKey(credential.key));
        if (found instanceof Promise)
          return { kind, verdict: found.then((key) => this.admit(request, policy, key)) };
        return { kind, verdict: this.admit(request, policy, found) };
      }
      case 'jwt': {
        if (policy.client !== null) {
          const verdict = this.clientTokens.verify(credential.token, policy.client);
          if (verdict instanceof Promise)
            return {
              kind: 'clientCredentials',
              verdict: verdict.then((settled) => this.admitClient(request, settled)),
            };
          return { kind: 'clientCredentials', verdict: this.admitClient(request, verdict) };
        }
        const verdict = this.jwts.verify(credential.token);
        if (verdict instanceof Promise)
          return {
            kind: 'jwt',
            verdict: verdict.then((settled) => this.admitUser(request, settled)),
          };
        return { kind: 'jwt', verdict: this.admitUser(request, verdict) };
      }
    }
  }

  /** A user's JWT: confined to its own tenant, as a tenant-scoped key is to its. */
  private admitUser(request: FastifyRequest, verdict: JwtVerdict): Verdict | Promise<Verdict> {
    if (typeof verdict === 'string') return Refusal.of(verdict);
    const check = resolveTenant(verdict, USER_POLICY, request.headers[TENANT_HEADER]);
    if (typeof check === 'string') return Refusal.of(check);
    if (check instanceof ApiError) return check;
    return { principal: { kind: 'user', jwt: verdict }, tenantId: verdict.tenantId };
  }

  /** An entity's client-credentials token: confined to the tenant it was issued in. */
  private admitClient(request: FastifyRequest, verdict: ClientTokenVerdict): Verdict {
    if (typeof verdict === 'string') return Refusal.of(verdict);
    const check = resolveTenant(verdict, USER_POLICY, request.headers[TENANT_HEADER]);
    if (typeof check === 'string') return Refusal.of(check);
    if (check instanceof ApiError) return check;
    return { principal: { kind: 'client', token: verdict }, tenantId: verdict.tenantId };
  }

  private admit(
    request: FastifyRequest,
    policy: RoutePolicy,
    key: ApiKeyRecord | null,
  ): Verdict | Promise<Verdict> {
    if (key === null) return Refusal.of('unknown_key');
    if (key.expirationInstant !== null && key.expirationInstant <= Date.now())
      return Refusal.ofKey('expired', key);
    if (policy.keyManager) {
      if (!key.keyManager) return Refusal.ofKey('not_key_manager', key);
    } else if (!allows(key.permissions, policy.endpoint!, request.method)) {
      return Refusal.ofKey('endpoint_denied', key);
    }
    const admitted = this.screen(request, policy, key);
    if (key.rateLimit === null) return admitted;
    return chain(admitted, (verdict) =>
      isCaller(verdict) ? this.throttle(key, key.rateLimit!, verdict) : verdict,
    );
  }

  private screen(
    request: FastifyRequest,
    policy: RoutePolicy,
    key: ApiKeyRecord,
  ): Verdict | Promise<Verdict> {
    if (key.ipAccessControlListId === null) return this.placeInTenant(request, policy, key);
    const acl = this.ipAcls.matcher(key.ipAccessControlListId);
    if (acl instanceof Promise)
      return acl.then((loaded) => this.screenAddress(request, policy, key, loaded));
    return this.screenAddress(request, policy, key, acl);
  }

  /** A key that passed every check draws on its rate limit; only those keys ask the limiter. */
  private throttle(
    key: ApiKeyRecord,
    limit: RateLimit,
    caller: Caller,
  ): Verdict | Promise<Verdict> {
    return chain(this.limiter.take(key.id, limit), (rate) =>
      rate.allowed ? caller : new RateLimited(key.id, limit, rate),
    );
  }

  /** A key bound to an IP ACL: refused from a blocked address, or if its list is gone. */
  private screenAddress(
    request: FastifyRequest,
    policy: RoutePolicy,
    key: ApiKeyRecord,
    acl: IpAclMatcher | null,
  ): Verdict | Promise<Verdict> {
    const address = clientAddress(
      request.raw.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      this.trustedProxies,
    );
    if (acl === null || !acl.allows(address)) return Refusal.ofKey('ip_blocked', key);
    return this.placeInTenant(request, policy, key);
  }

  private placeInTenant(
    request: FastifyRequest,
    policy: RoutePolicy,
    key: ApiKeyRecord,
  ): Verdict | Promise<Verdict> {
    const check = resolveTenant(key, policy, request.headers[TENANT_HEADER]);
    if (typeof check === 'string') return Refusal.ofKey(check, key);
    if (check instanceof ApiError) return check;
    return this.confirmTenant(
      { principal: { kind: 'apiKey', key }, tenantId: check.tenantId },
      check,
    );
  }

  private confirmTenant(caller: Caller, check: TenantCheck): Verdict | Promise<Verdict> {
    if (check.verify === null) return caller;
    const exists = this.tenants.exists(check.verify);
    if (typeof exists === 'boolean') return exists ? caller : unknownTenantHeader();
    return exists.then((found) => (found ? caller : unknownTenantHeader()));
  }
}

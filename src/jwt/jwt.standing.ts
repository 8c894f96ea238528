import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { ChangeHub } from '../key-cache/change.hub';
import { ReplicaCache } from '../key-cache/replica.cache';
import { RefreshTokenService } from '../refresh-token/refresh-token.service';
import { TenantRepository } from '../tenant/tenant.repository';
import { UserRepository } from '../user/user.repository';

interface UserState {
  readonly tenantId: string;
  readonly active: boolean;
}

/** A session stands while its refresh token exists (its expiry ends refreshes, not tokens). */
interface SessionState {
  readonly userId: string;
}

/** Why a well-signed token is still refused. */
export type StandingRefusal = 'unknown_tenant' | 'wrong_issuer' | 'user_gone' | 'session_revoked';

type Verdict = StandingRefusal | null;

/**
 * What a signature cannot say: whether the token's tenant still issues as it says, its
 * user still exists and is active, and its session (`sid`) was not revoked. Each answer
 * is held per replica and dropped by the change messages (`user.changed`,
 * `tenant.changed`) and bus resyncs, and at most a cache TTL in any case: a user
 * deactivated or deleted, or a session revoked, loses its access tokens on every replica
 * within the same bound as a revoked API key.
 */
@Injectable()
export class JwtStanding {
  private readonly users: ReplicaCache<UserState | null>;
  private readonly sessions: ReplicaCache<SessionState | null>;
  private readonly issuers: ReplicaCache<string | null>;

  constructor(
    userRepository: UserRepository,
    tenantRepository: TenantRepository,
    refreshTokens: RefreshTokenService,
    hub: ChangeHub,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const options = (what: string) => ({
      ttlMs: config.apiKeyCacheTtlSeconds * 1000,
      maxEntries: Math.max(100, config.jwtCacheMaxEntries),
      deadlineMs: config.databaseQueryTimeoutMs,
      what,
    });
    this.users = new ReplicaCache(async (id) => {
      const user = await userRepository.getById(null, id);
      return user === null ? null : { tenantId: user.tenantId, active: user.active };
    }, options('a user lookup'));
    this.sessions = new ReplicaCache(async (id) => {
      const token = await refreshTokens.getById(null, id);
      return token === null ? null : { userId: token.userId };
    }, options('a session lookup'));
    this.issuers = new ReplicaCache(
      async (id) => (await tenantRepository.getById(id))?.configuration.issuer ?? null,
      options('a tenant lookup'),
    );
    hub.listen({
      onChange: ({ event }) => {
        if (event.type === 'user.changed') {
          this.users.evict(event.userId);
          this.sessions.evictWhere((session) => session?.userId === event.userId);
        } else if (event.type === 'tenant.changed') {
          this.issuers.evict(event.tenantId);
        }
      },
      onResync: () => {
        this.users.flush();
        this.sessions.flush();
        this.issuers.flush();
      },
    });
  }

  /** Null when the tenant exists and issues as the token says; else why not. */
  judgeIssuer(tenantId: string, issuer: unknown): Verdict | Promise<Verdict> {
    return chain(this.issuers.get(tenantId), (expected) => {
      if (expected === null) return 'unknown_tenant';
      return expected === issuer ? null : 'wrong_issuer';
    });
  }

  /** Null when the token still stands; else why not. */
  judge(
    tenantId: string,
    issuer: unknown,
    userId: string,
    sessionId: string | null,
  ): Verdict | Promise<Verdict> {
    return chain(this.judgeIssuer(tenantId, issuer), (refusal) => {
      if (refusal !== null) return refusal;
      return chain(this.users.get(userId), (user) => {
        if (user === null || !user.active || user.tenantId !== tenantId) return 'user_gone';
        if (sessionId === null) return null;
        return chain(this.sessions.get(sessionId), (session) =>
          session === null || session.userId !== userId ? 'session_revoked' : null,
        );
      });
    });
  }
}

/** `then` without a microtask when the value is already at hand (the cache-hot path). */
export function chain<T, R>(
  value: T | Promise<T>,
  next: (value: T) => R | Promise<R>,
): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

import { Inject, Injectable } from '@nestjs/common';
import type { ClientRequirement, ClientTarget } from '../auth/route-policy.decorator';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { chain, JwtStanding, StandingRefusal } from '../jwt/jwt.standing';
import { ChangeHub } from '../key-cache/change.hub';
import { ReplicaCache } from '../key-cache/replica.cache';
import { CLIENT_TARGET_RULES, ClientTargetRule } from './client-target';
import { ClientEntity, EntityClients } from './entity-clients';

/** Why a well-signed client-credentials token does not pass a route. */
export type ClientRefusal =
  | StandingRefusal
  /** The entity it was issued to is gone, or no longer of its tenant. */
  | 'entity_gone'
  /** It names no target of this route's kind holding the route's permission. */
  | 'not_permitted'
  /** It did, but that target has since withdrawn the permission, or the target is gone. */
  | 'grant_revoked';

/** The target whose grant lets a token through a route. */
export interface Passed {
  readonly targetId: string;
}

/** A grant as held per replica: who gave what to whom. */
interface HeldGrant {
  readonly targetId: string;
  readonly recipientId: string;
  readonly permissions: readonly string[] | null;
}

/** What the token says, already read and checked for shape. */
export interface ClientTokenClaims {
  readonly tenantId: string;
  readonly issuer: unknown;
  readonly recipientEntityId: string;
  /** Permissions by target entity id, as the token carries them. */
  readonly permissions: Readonly<Record<string, readonly string[]>>;
}

/**
 * What a signature cannot say about a client-credentials token: that its tenant still
 * issues as it says, its entity still exists there, and the target it is shown to still
 * grants the permission the route needs. Entities and grants are held per replica and
 * dropped by `entity.changed` / `entityType.changed` messages and bus resyncs, and at most
 * a cache TTL in any case: a revoked grant or a deleted entity stops passing on every
 * replica within the same bound as a revoked API key.
 */
@Injectable()
export class ClientStanding {
  private readonly entities: ReplicaCache<ClientEntity | null>;
  private readonly grants: ReplicaCache<HeldGrant>;
  private readonly rules: ReadonlyMap<ClientTarget, ClientTargetRule>;

  constructor(
    private readonly tenants: JwtStanding,
    clients: EntityClients,
    hub: ChangeHub,
    @Inject(CLIENT_TARGET_RULES) rules: ClientTargetRule[],
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.rules = new Map(rules.map((rule) => [rule.target, rule]));
    const options = (what: string) => ({
      ttlMs: config.apiKeyCacheTtlSeconds * 1000,
      maxEntries: Math.max(100, config.jwtCacheMaxEntries),
      deadlineMs: config.databaseQueryTimeoutMs,
      what,
    });
    this.entities = new ReplicaCache((id) => clients.byId(id), options('an entity lookup'));
    this.grants = new ReplicaCache(async (key) => {
      const [targetId, recipientId] = key.split(' ');
      const permissions = await clients.permissionsGranted(targetId, recipientId);
      return { targetId, recipientId, permissions };
    }, options('a grant lookup'));
    hub.listen({
      onChange: ({ event }) => {
        if (event.type === 'entity.changed') {
          const id = event.entityId;
          this.entities.evict(id);
          this.grants.evictWhere((grant) => grant.targetId === id || grant.recipientId === id);
        } else if (event.type === 'entityType.changed') {
          this.entities.flush();
          this.grants.flush();
        }
      },
      onResync: () => {
        this.entities.flush();
        this.grants.flush();
      },
    });
  }

  /** Null when the token's tenant issues as it says and its entity is still there; else why not. */
  entityStands(token: ClientTokenClaims): Promise<ClientRefusal | null> {
    return Promise.resolve(
      chain(this.tenants.judgeIssuer(token.tenantId, token.issuer), (refusal) => {
        if (refusal !== null) return refusal;
        return chain(this.entities.get(token.recipientEntityId), (recipient) =>
          recipient === null || recipient.tenantId !== token.tenantId ? 'entity_gone' : null,
        );
      }),
    );
  }

  /** The target entity that lets the token through; else why not. */
  judge(
    token: ClientTokenClaims,
    requirement: ClientRequirement,
  ): Passed | ClientRefusal | Promise<Passed | ClientRefusal> {
    const rule = this.rules.get(requirement.target);
    if (rule === undefined) throw new Error(`no rule for client target ${requirement.target}`);
    return chain(this.tenants.judgeIssuer(token.tenantId, token.issuer), (refusal) => {
      if (refusal !== null) return refusal;
      return chain(this.entities.get(token.recipientEntityId), (recipient) => {
        if (recipient === null || recipient.tenantId !== token.tenantId) return 'entity_gone';
        const candidates = Object.keys(token.permissions).filter((targetId) =>
          token.permissions[targetId].includes(requirement.permission),
        );
        return this.firstStanding(candidates, token.tenantId, recipient, requirement, rule);
      });
    });
  }

  /** Tokens name few targets; they are judged one after another, the first that stands wins. */
  private firstStanding(
    candidates: string[],
    tenantId: string,
    recipient: ClientEntity,
    requirement: ClientRequirement,
    rule: ClientTargetRule,
    revoked = false,
  ): Passed | ClientRefusal | Promise<Passed | ClientRefusal> {
    if (candidates.length === 0) return revoked ? 'grant_revoked' : 'not_permitted';
    const [targetId, ...rest] = candidates;
    const next = (wasRevoked: boolean) =>
      this.firstStanding(rest, tenantId, recipient, requirement, rule, revoked || wasRevoked);
    return chain(this.entities.get(targetId), (target) => {
      if (target === null || target.tenantId !== tenantId) return next(true);
      return chain(rule.admits(tenantId, target, recipient), (admitted) => {
        if (!admitted) return next(false);
        return chain(this.grants.get(`${targetId} ${recipient.id}`), (grant) =>
          grant.permissions?.includes(requirement.permission) === true ? { targetId } : next(true),
        );
      });
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { ClientRequirement, ClientTarget } from '../auth/route-policy.decorator';
import { chain, JwtStanding, StandingRefusal } from '../jwt/jwt.standing';
import { ClientDirectory, ClientRecord } from './client.directory';
import { CLIENT_TARGET_RULES, ClientTargetRule } from './client-target';

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
 * grants the permission the route needs. The answers come from the replica's
 * `ClientDirectory`, which change messages keep current: a revoked grant or a deleted
 * entity stops passing on every replica within the same bound as a revoked API key.
 */
@Injectable()
export class ClientStanding {
  private readonly rules: ReadonlyMap<ClientTarget, ClientTargetRule>;

  constructor(
    private readonly tenants: JwtStanding,
    private readonly directory: ClientDirectory,
    @Inject(CLIENT_TARGET_RULES) rules: ClientTargetRule[],
  ) {
    this.rules = new Map(rules.map((rule) => [rule.target, rule]));
  }

  /** Null when the token's tenant issues as it says and its entity is still there; else why not. */
  entityStands(token: ClientTokenClaims): Promise<ClientRefusal | null> {
    return Promise.resolve(
      chain(this.tenants.judgeIssuer(token.tenantId, token.issuer), (refusal) => {
        if (refusal !== null) return refusal;
        return chain(this.directory.entity(token.recipientEntityId), (recipient) =>
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
      return chain(this.directory.entity(token.recipientEntityId), (recipient) => {
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
    recipient: ClientRecord,
    requirement: ClientRequirement,
    rule: ClientTargetRule,
    revoked = false,
  ): Passed | ClientRefusal | Promise<Passed | ClientRefusal> {
    if (candidates.length === 0) return revoked ? 'grant_revoked' : 'not_permitted';
    const [targetId, ...rest] = candidates;
    const next = (wasRevoked: boolean) =>
      this.firstStanding(rest, tenantId, recipient, requirement, rule, revoked || wasRevoked);
    return chain(this.directory.entity(targetId), (target) => {
      if (target === null || target.tenantId !== tenantId) return next(true);
      return chain(rule.admits(tenantId, target, recipient), (admitted) => {
        if (!admitted) return next(false);
        return chain(this.directory.grant(targetId, recipient.id), (grant) =>
          grant.permissions?.includes(requirement.permission) === true ? { targetId } : next(true),
        );
      });
    });
  }
}

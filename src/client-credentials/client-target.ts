import type { ClientTarget } from '../auth/route-policy.decorator';
import type { ClientRecord } from './client.directory';

/**
 * Whether `target` may stand as the route's target for a token of `recipient` (both of
 * the token's tenant): e.g. the SCIM server entity of that tenant, and a SCIM client.
 */
export interface ClientTargetRule {
  readonly target: ClientTarget;
  admits(
    tenantId: string,
    target: ClientRecord,
    recipient: ClientRecord,
  ): boolean | Promise<boolean>;
}

/** The rules, one per `ClientTarget`; the module that owns a kind of target provides its rule. */
export const CLIENT_TARGET_RULES = Symbol('CLIENT_TARGET_RULES');

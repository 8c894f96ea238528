import { covers, Permissions } from '../auth/permissions';
import { RateLimit, withinRateLimit } from '../rate-limit/rate-limit';

/** Everything that makes one key more powerful than another. */
export interface Authority {
  readonly tenantId: string | null;
  readonly permissions: Permissions;
  readonly keyManager: boolean;
  readonly expirationInstant: number | null;
  readonly ipAccessControlListId: string | null;
  readonly rateLimit: RateLimit | null;
}

/**
 * Whether `holder` may create, see, change or delete a key with `target`'s powers:
 * equal or lesser authority in every respect. A tenant-scoped holder reaches only its
 * tenant; a permission-limited holder only keys within its permissions; a holder that
 * expires only keys that expire no later; a holder bound to an IP ACL only keys bound
 * to the same list; a rate-limited holder only keys limited no more loosely.
 */
export function withinAuthority(holder: Authority, target: Authority): boolean {
  if (holder.tenantId !== null && target.tenantId !== holder.tenantId) return false;
  if (!covers(holder.permissions, target.permissions)) return false;
  if (target.keyManager && !holder.keyManager) return false;
  if (
    holder.expirationInstant !== null &&
    (target.expirationInstant === null || target.expirationInstant > holder.expirationInstant)
  ) {
    return false;
  }
  if (
    holder.ipAccessControlListId !== null &&
    target.ipAccessControlListId !== holder.ipAccessControlListId
  ) {
    return false;
  }
  return withinRateLimit(holder.rateLimit, target.rateLimit);
}

/**
 * Whether `holder` may change or delete the IP ACL `listId`, which the keys `bound` name.
 * Changing a list changes where its keys work, so it takes authority over each of them;
 * and a key never changes the list that restricts it, or it could lift its own limit.
 */
export function mayChangeIpAcl(
  holder: Authority,
  listId: string,
  bound: readonly Authority[],
): boolean {
  if (holder.ipAccessControlListId === listId) return false;
  return bound.every((target) => withinAuthority(holder, target));
}

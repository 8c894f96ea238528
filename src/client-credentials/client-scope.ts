import { parseUuid } from '../common/uuid';

/** One target of a client-credentials request: the entity, and the permissions asked of it (none: all granted). */
export interface ScopeTarget {
  readonly entityId: string;
  readonly permissions: readonly string[];
}

const PREFIX = 'target-entity:';
const UUID_LENGTH = 36;
/** More targets than any service needs; a longer list is refused before any lookup. */
export const MAX_SCOPE_TARGETS = 32;
const MAX_PERMISSION_LENGTH = 191;

/**
 * Reads FusionAuth's client-credentials scope: space-separated
 * `target-entity:<uuid>[:<permission>,<permission>]` values. Permission names may
 * themselves hold colons (`scim:user:read`), so only the first colon after the id
 * separates. A target named twice asks for the union. Null when any value is malformed
 * (the endpoint answers `invalid_scope`).
 */
export function parseClientScope(scope: string): ScopeTarget[] | null {
  const byTarget = new Map<string, Set<string> | 'all'>();
  for (const value of scope.split(' ')) {
    if (value.length === 0) continue;
    if (!value.startsWith(PREFIX)) return null;
    const rest = value.slice(PREFIX.length);
    const entityId = parseUuid(rest.slice(0, UUID_LENGTH));
    if (entityId === null) return null;
    const tail = rest.slice(UUID_LENGTH);
    if (tail.length > 0 && tail[0] !== ':') return null;
    const asked = tail.length <= 1 ? [] : tail.slice(1).split(',');
    if (asked.some((name) => name.length === 0 || name.length > MAX_PERMISSION_LENGTH)) return null;
    const known = byTarget.get(entityId);
    if (asked.length === 0 || known === 'all') {
      byTarget.set(entityId, 'all');
    } else {
      const names = known ?? new Set<string>();
      for (const name of asked) names.add(name);
      byTarget.set(entityId, names);
    }
    if (byTarget.size > MAX_SCOPE_TARGETS) return null;
  }
  return [...byTarget].map(([entityId, names]) => ({
    entityId,
    permissions: names === 'all' ? [] : [...names],
  }));
}

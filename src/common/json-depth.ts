/**
 * How deeply a request body may nest objects and arrays. Far beyond any FusionAuth
 * request (user `data` is the deepest, and free-form), and low enough that every
 * recursive step after parsing (merge patches, serialisation) stays far from the stack's
 * limit.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `limit`; iterative, so any depth is safe to ask. */
export function exceedsDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return false;
}

import { ApiError } from './api-error';
import { isObject, JsonObject } from './fields';

export type PatchMode = 'merge' | 'merge-patch';

/**
 * The two PATCH merges FusionAuth offers, chosen by Content-Type:
 * - `merge-patch` (`application/merge-patch+json`, RFC 7396): objects merge, `null`
 *   removes, anything else, arrays included, replaces;
 * - `merge` (`application/json`, FusionAuth's original PATCH): the same, except that an
 *   array is appended to the array it patches (values not already there, in order).
 */
export function mergePatch(
  target: unknown,
  patch: unknown,
  mode: PatchMode = 'merge-patch',
): unknown {
  if (mode === 'merge' && Array.isArray(patch) && Array.isArray(target)) {
    const existing = target as unknown[];
    const seen = new Set(existing.map((item) => JSON.stringify(item)));
    return [...existing, ...(patch as unknown[]).filter((item) => !seen.has(JSON.stringify(item)))];
  }
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = mergePatch(result[name], value, mode);
  }
  return result;
}

/**
 * A PATCH request applied to the stored object's JSON. Only a JSON object patches: any
 * other body (none, `null`) would merge into a replacement of the whole object.
 */
export function applyPatch(current: JsonObject, body: unknown, mode: PatchMode): JsonObject {
  if (!isObject(body)) throw ApiError.general('couldNotParseJSON');
  return mergePatch(current, body, mode) as JsonObject;
}

/** Which merge a PATCH asks for, from its Content-Type. */
export function patchModeOf(contentType: string | undefined): PatchMode {
  return contentType?.toLowerCase().startsWith('application/merge-patch+json')
    ? 'merge-patch'
    : 'merge';
}

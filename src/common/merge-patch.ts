import { isObject, JsonObject } from './fields';

/**
 * JSON merge patch (RFC 7396), which is also how FusionAuth merges an
 * `application/json` PATCH: objects merge, `null` removes, anything else replaces.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = mergePatch(result[name], value);
  }
  return result;
}

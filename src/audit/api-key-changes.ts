import type { JsonObject } from '../common/fields';

/** Fields never written to the trail: a key's value, and the instants the event has already. */
const LEFT_OUT = new Set(['key', 'insertInstant', 'lastUpdateInstant']);

/** A key's fields as the trail records them: the API's JSON without its value. */
export function recordedFields(json: JsonObject): JsonObject {
  const fields: JsonObject = {};
  for (const [name, value] of Object.entries(json)) if (!LEFT_OUT.has(name)) fields[name] = value;
  return fields;
}

/**
 * The fields that differ between two JSON forms of a key, `{field: {from, to}}` (a field
 * absent on one side is `null` there). Compared as JSON text: key order in the API's own
 * output is stable.
 */
export function fieldChanges(before: JsonObject, after: JsonObject): Record<string, unknown> {
  const from = recordedFields(before);
  const to = recordedFields(after);
  const changes: Record<string, unknown> = {};
  for (const name of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const a = from[name] ?? null;
    const b = to[name] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[name] = { from: a, to: b };
  }
  return changes;
}

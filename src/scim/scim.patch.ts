import { isObject, JsonObject } from '../common/fields';
import { ScimError } from './scim.error';
import { matches, member, parsePatchPath, PatchPath } from './scim.filter';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MAX_OPERATIONS = 1000;

/** An attribute a PATCH may touch, by its canonical name (and its sub-attributes'). */
export interface PatchableAttribute {
  readonly name: string;
  readonly multiValued?: true;
  /** Lower-case sub-attribute → canonical name; absent for a simple attribute. */
  readonly subs?: Readonly<Record<string, string>>;
}

/** Lower-case attribute name → what it is; anything else is 400 `invalidPath`. */
export type PatchableAttributes = Readonly<Record<string, PatchableAttribute>>;

type Op = 'add' | 'replace' | 'remove';

interface Operation {
  readonly op: Op;
  readonly path: PatchPath | null;
  readonly value: unknown;
}

function readOperations(body: unknown): Operation[] {
  if (!isObject(body)) throw ScimError.invalidSyntax('The request body must be a JSON object.');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA))
    throw ScimError.invalidSyntax(`A PATCH request must name the schema ${PATCH_OP_SCHEMA}.`);
  const operations = member(body, 'operations');
  if (!Array.isArray(operations) || operations.length === 0)
    throw ScimError.invalidSyntax('A PATCH request needs a non-empty Operations array.');
  if (operations.length > MAX_OPERATIONS)
    throw ScimError.invalidSyntax(`A PATCH request may hold at most ${MAX_OPERATIONS} operations.`);
  return operations.map((operation): Operation => {
    if (!isObject(operation)) throw ScimError.invalidSyntax('Each operation must be an object.');
    const op = member(operation, 'op');
    const name = typeof op === 'string' ? op.toLowerCase() : null;
    if (name !== 'add' && name !== 'replace' && name !== 'remove')
      throw ScimError.invalidSyntax('Each operation\'s "op" must be add, replace or remove.');
    const path = member(operation, 'path');
    return {
      op: name,
      path: path === undefined || path === null ? null : parsePatchPath(path),
      value: member(operation, 'value'),
    };
  });
}

function attributeOf(attributes: PatchableAttributes, path: PatchPath): PatchableAttribute {
  const attribute = attributes[path.attr];
  if (attribute === undefined)
    throw ScimError.invalidPath(`The path "${path.attr}" is not supported.`);
  if (path.sub !== null && attribute.subs?.[path.sub] === undefined)
    throw ScimError.invalidPath(`The path "${path.attr}.${path.sub}" is not supported.`);
  if (path.filter !== null && !attribute.multiValued)
    throw ScimError.invalidPath(`"${attribute.name}" is not multi-valued.`);
  return attribute;
}

const valueOf = (item: unknown): unknown => (isObject(item) ? member(item, 'value') : item);

/** Adds values to a multi-valued attribute; an element with the same `value` is replaced. */
function append(current: unknown, value: unknown): unknown[] {
  const items = Array.isArray(current) ? [...(current as unknown[])] : [];
  for (const item of Array.isArray(value) ? value : [value]) {
    const index = items.findIndex((existing) => valueOf(existing) === valueOf(item));
    if (index >= 0 && valueOf(item) !== undefined) items[index] = item;
    else items.push(item);
  }
  return items;
}

function requireValue(operation: Operation): unknown {
  if (operation.value === undefined)
    throw ScimError.invalidValue(`The "${operation.op}" operation needs a value.`);
  return operation.value;
}

/** `attr[filter][.sub]`: the matching elements of a multi-valued attribute. */
function applyFiltered(
  resource: JsonObject,
  attribute: PatchableAttribute,
  path: PatchPath,
  operation: Operation,
): void {
  const items = member(resource, attribute.name);
  const list: unknown[] = Array.isArray(items) ? items : [];
  const hit = (item: unknown) => isObject(item) && matches(path.filter!, item);
  if (!list.some(hit)) {
    // Nothing to remove is done; nothing to replace is RFC 7644 §3.5.2.3's noTarget.
    if (operation.op === 'remove') return;
    if (operation.op === 'replace' || path.sub !== null)
      throw new ScimError(400, 'noTarget', `No value of "${attribute.name}" matches the path.`);
    resource[attribute.name] = append(list, requireValue(operation));
    return;
  }
  const sub = path.sub === null ? null : attribute.subs![path.sub];
  if (operation.op === 'remove' && sub === null) {
    resource[attribute.name] = list.filter((item) => !hit(item));
    return;
  }
  const value = operation.op === 'remove' ? undefined : requireValue(operation);
  resource[attribute.name] = list.map((item) => {
    if (!hit(item)) return item;
    const copy = { ...(item as JsonObject) };
    if (sub !== null) {
      if (value === undefined) delete copy[sub];
      else copy[sub] = value;
      return copy;
    }
    return isObject(value) ? { ...copy, ...value } : value;
  });
}

function applyPlain(
  resource: JsonObject,
  attribute: PatchableAttribute,
  path: PatchPath,
  operation: Operation,
): void {
  const { name } = attribute;
  if (path.sub !== null) {
    const sub = attribute.subs![path.sub];
    if (attribute.multiValued)
      throw ScimError.invalidPath(`Name the "${name}" values with a filter: ${name}[...].${sub}.`);
    const parent = isObject(resource[name]) ? { ...resource[name] } : {};
    if (operation.op === 'remove') delete parent[sub];
    else parent[sub] = requireValue(operation);
    resource[name] = parent;
    return;
  }
  if (operation.op === 'remove') {
    // Azure AD's form: remove the listed values of a multi-valued attribute.
    if (attribute.multiValued && operation.value !== undefined && operation.value !== null) {
      const gone = new Set(
        (Array.isArray(operation.value) ? operation.value : [operation.value]).map(valueOf),
      );
      const list = member(resource, name);
      resource[name] = (Array.isArray(list) ? list : []).filter((item) => !gone.has(valueOf(item)));
    } else {
      delete resource[name];
    }
    return;
  }
  const value = requireValue(operation);
  if (attribute.multiValued && operation.op === 'add') {
    resource[name] = append(member(resource, name), value);
  } else if (attribute.subs !== undefined && !attribute.multiValued && operation.op === 'add') {
    const current = isObject(resource[name]) ? resource[name] : {};
    resource[name] = isObject(value) ? { ...current, ...value } : value;
  } else {
    resource[name] = value;
  }
}

function applyOne(resource: JsonObject, attributes: PatchableAttributes, operation: Operation) {
  if (operation.path === null) {
    if (operation.op === 'remove')
      throw new ScimError(400, 'noTarget', 'A "remove" operation needs a path.');
    const value = requireValue(operation);
    if (!isObject(value))
      throw ScimError.invalidValue('An operation without a path needs an object value.');
    for (const [key, item] of Object.entries(value)) {
      if (key.toLowerCase() === 'schemas') continue;
      applyOne(resource, attributes, { op: operation.op, path: parsePatchPath(key), value: item });
    }
    return;
  }
  const attribute = attributeOf(attributes, operation.path);
  if (operation.path.filter !== null) applyFiltered(resource, attribute, operation.path, operation);
  else applyPlain(resource, attribute, operation.path, operation);
}

/**
 * Applies a PatchOp request (RFC 7644 §3.5.2) to a copy of a resource's SCIM JSON; the
 * result is read again as a full replacement, so every value it sets is validated there.
 */
export function applyPatchOps(
  resource: JsonObject,
  body: unknown,
  attributes: PatchableAttributes,
): JsonObject {
  const result = structuredClone(resource);
  for (const operation of readOperations(body)) applyOne(result, attributes, operation);
  return result;
}

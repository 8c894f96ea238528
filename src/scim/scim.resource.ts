import { isObject, JsonObject } from '../common/fields';
import { ScimError } from './scim.error';
import { member } from './scim.filter';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** Where Portcullis keeps what SCIM has and FusionAuth's user and group do not: in `data.scim`. */
export const SCIM_DATA_KEY = 'scim';

export type ResourceType = 'User' | 'Group';

/** What `meta` is made from. */
export interface Stamped {
  id: string;
  insertInstant: number;
  lastUpdateInstant: number;
}

/** RFC 7643 §3.1 `meta`; the version is a weak ETag of the last update. */
export function metaOf(type: ResourceType, stamped: Stamped, base: string): JsonObject {
  return {
    resourceType: type,
    created: new Date(stamped.insertInstant).toISOString(),
    lastModified: new Date(stamped.lastUpdateInstant).toISOString(),
    location: `${base}/${type}s/${stamped.id}`,
    version: `W/"${stamped.lastUpdateInstant}"`,
  };
}

/** The `data.scim` object of a user or group (empty when absent or not an object). */
export function scimData(data: unknown): JsonObject {
  const scim = isObject(data) ? data[SCIM_DATA_KEY] : undefined;
  return isObject(scim) ? scim : {};
}

/** Free-form `data` with `data.scim` set to what is given (absent values left out). */
export function withScimData(data: unknown, values: Record<string, string | null>): JsonObject {
  const kept = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
  const rest = isObject(data) ? { ...data } : {};
  delete rest[SCIM_DATA_KEY];
  return Object.keys(kept).length === 0 ? rest : { ...rest, [SCIM_DATA_KEY]: kept };
}

/** Typed reads of a SCIM request object, attribute names matched case-insensitively. */
export class ScimReader {
  constructor(
    private readonly source: JsonObject,
    private readonly path = '',
  ) {}

  /** The request body: a JSON object naming, when it names any, the expected schema. */
  static body(body: unknown, schema: string): ScimReader {
    if (!isObject(body)) throw ScimError.invalidSyntax('The request body must be a JSON object.');
    const schemas = member(body, 'schemas');
    if (schemas !== undefined && schemas !== null) {
      if (!Array.isArray(schemas) || !schemas.every((item) => typeof item === 'string'))
        throw ScimError.invalidSyntax('"schemas" must be an array of strings.');
      if (!schemas.includes(schema))
        throw ScimError.invalidSyntax(`"schemas" must include ${schema}.`);
    }
    return new ScimReader(body);
  }

  private name(attribute: string): string {
    return this.path === '' ? attribute : `${this.path}.${attribute}`;
  }

  raw(attribute: string): unknown {
    return member(this.source, attribute.toLowerCase());
  }

  string(attribute: string): string | null {
    const value = this.raw(attribute);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string')
      throw ScimError.invalidValue(`"${this.name(attribute)}" must be a string.`);
    return value;
  }

  /** A boolean; Azure AD sends `"True"` and `"False"` as strings, so those count too. */
  boolean(attribute: string): boolean | null {
    const value = this.raw(attribute);
    if (value === undefined || value === null) return null;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value))
      return value.toLowerCase() === 'true';
    throw ScimError.invalidValue(`"${this.name(attribute)}" must be a boolean.`);
  }

  object(attribute: string): ScimReader | null {
    const value = this.raw(attribute);
    if (value === undefined || value === null) return null;
    if (!isObject(value))
      throw ScimError.invalidValue(`"${this.name(attribute)}" must be an object.`);
    return new ScimReader(value, this.name(attribute));
  }

  /** A multi-valued complex attribute; its elements read as objects. */
  objects(attribute: string): ScimReader[] {
    const value = this.raw(attribute);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every(isObject))
      throw ScimError.invalidValue(`"${this.name(attribute)}" must be an array of objects.`);
    return value.map((item) => new ScimReader(item, this.name(attribute)));
  }
}

import { ApiError, FieldErrors } from './api-error';
import { parseUuid } from './uuid';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Control characters are exactly what this rejects.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

export interface StringRules {
  max?: number;
  /** Reject control characters (names and other single-line text). */
  singleLine?: boolean;
}

/**
 * Typed reads of one JSON object, collecting FusionAuth field errors by path.
 * Absent and null both read as null; properties it is not asked about are ignored.
 */
export class Fields {
  constructor(
    private readonly source: JsonObject,
    readonly path: string,
    readonly errors: FieldErrors,
  ) {}

  /**
   * The request body's wrapper object (`{"apiKey": {...}}`), empty when absent. A body
   * that is not a JSON object (`null`, or none at all) is refused: read as an empty
   * request it would create a default object, or replace one with nothing.
   */
  static root(
    body: unknown,
    wrapper: string,
    errors = new FieldErrors(),
  ): { top: Fields; inner: Fields } {
    if (!isObject(body)) throw ApiError.general('couldNotParseJSON');
    const top = new Fields(body, '', errors);
    return { top, inner: top.object(wrapper) ?? new Fields({}, wrapper, errors) };
  }

  /**
   * A request body without a wrapper object (`{"loginId": …, "password": …}`); a body
   * that is not a JSON object is refused, as by `root`.
   */
  static top(body: unknown, errors = new FieldErrors()): Fields {
    if (!isObject(body)) throw ApiError.general('couldNotParseJSON');
    return new Fields(body, '', errors);
  }

  name(property: string): string {
    return this.path ? `${this.path}.${property}` : property;
  }

  has(property: string): boolean {
    const value = this.source[property];
    return value !== undefined && value !== null;
  }

  raw(property: string): unknown {
    return this.source[property];
  }

  private convertError(property: string): null {
    this.errors.add('couldNotConvert', this.name(property));
    return null;
  }

  /** Records that a string is over `max` characters. */
  tooLong(property: string, max: number): null {
    this.errors.add(
      'tooLong',
      this.name(property),
      `The [${this.name(property)}] may be at most ${max} characters.`,
    );
    return null;
  }

  string(property: string, rules: StringRules = {}): string | null {
    const value = this.source[property];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') return this.convertError(property);
    if (rules.max !== undefined && value.length > rules.max)
      return this.tooLong(property, rules.max);
    if (rules.singleLine && CONTROL.test(value)) {
      this.errors.add(
        'invalid',
        this.name(property),
        `The [${this.name(property)}] may not contain control characters.`,
      );
      return null;
    }
    return value;
  }

  /** A string that must be present and not blank. */
  requiredString(property: string, rules: StringRules = {}): string | null {
    const value = this.string(property, rules);
    if (value === null && !this.errors.has(this.name(property)))
      this.errors.add('blank', this.name(property));
    if (value !== null && value.trim() === '') {
      this.errors.add('blank', this.name(property));
      return null;
    }
    return value;
  }

  /** One of a closed set of strings (a Java enum). */
  choice(property: string, allowed: readonly string[]): string | null {
    const value = this.string(property);
    if (value === null || allowed.includes(value)) return value;
    this.errors.add(
      'invalid',
      this.name(property),
      `The [${this.name(property)}] must be one of ${allowed.join(', ')}.`,
    );
    return null;
  }

  uuid(property: string): string | null {
    const value = this.source[property];
    if (value === undefined || value === null) return null;
    return (typeof value === 'string' && parseUuid(value)) || this.convertError(property);
  }

  boolean(property: string): boolean | null {
    const value = this.source[property];
    if (value === undefined || value === null) return null;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.convertError(property);
  }

  /** A Java `long`: a whole number, given as a number or a numeric string. */
  long(property: string, { min = Number.MIN_SAFE_INTEGER } = {}): number | null {
    const value = this.source[property];
    if (value === undefined || value === null) return null;
    const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number))
      return this.convertError(property);
    if (number < min) {
      this.errors.add(
        'invalid',
        this.name(property),
        `The [${this.name(property)}] must be at least ${min}.`,
      );
      return null;
    }
    return number;
  }

  /**
   * A Java `int`: a whole number within 32 bits (else `[couldNotConvert]`, as FusionAuth's
   * parser answers), and within `min`..`max` (else `[invalid]`).
   */
  integer(property: string, { min = INT_MIN, max = INT_MAX } = {}): number | null {
    const value = this.long(property);
    if (value === null) return null;
    if (value < INT_MIN || value > INT_MAX) return this.convertError(property);
    if (value >= min && value <= max) return value;
    const bound = value < min ? `at least ${min}` : `at most ${max}`;
    this.errors.add(
      'invalid',
      this.name(property),
      `The [${this.name(property)}] must be ${bound}.`,
    );
    return null;
  }

  object(property: string): Fields | null {
    const value = this.source[property];
    if (value === undefined || value === null) return null;
    if (!isObject(value)) return this.convertError(property);
    return new Fields(value, this.name(property), this.errors);
  }

  /** A list of JSON objects, each read at `<path>[<index>]`. */
  objectArray(property: string): Fields[] | null {
    const value = this.source[property];
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value) || !value.every(isObject)) return this.convertError(property);
    return value.map(
      (item, index) => new Fields(item, this.name(`${property}[${index}]`), this.errors),
    );
  }

  /** Free-form JSON object (`data`), stored as given. */
  record(property: string, { maxBytes = 65_536 } = {}): JsonObject | null {
    const value = this.source[property];
    if (value === undefined || value === null) return null;
    if (!isObject(value)) return this.convertError(property);
    if (JSON.stringify(value).length > maxBytes) {
      this.errors.add(
        'tooLong',
        this.name(property),
        `The [${this.name(property)}] may be at most ${maxBytes} bytes.`,
      );
      return null;
    }
    return value;
  }

  uuidArray(property: string): string[] | null {
    const values = this.stringArray(property);
    if (values === null) return null;
    const ids = values.map(parseUuid);
    if (ids.some((id) => id === null)) return this.convertError(property);
    return ids as string[];
  }

  stringArray(property: string, rules: StringRules = {}): string[] | null {
    const value = this.source[property];
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
      return this.convertError(property);
    const strings = value;
    if (rules.max !== undefined && strings.some((item) => item.length > rules.max!)) {
      this.errors.add('tooLong', this.name(property));
      return null;
    }
    return strings;
  }

  keys(): string[] {
    return Object.keys(this.source);
  }

  /**
   * Properties a request cannot set but FusionAuth's parser still types (ids, instants
   * and flags of an object read back from the API): a value of the wrong type is
   * `[couldNotConvert]`, as there, and a well-typed one is ignored.
   */
  typeCheck(types: Readonly<Record<string, IgnoredType>>): void {
    for (const [property, type] of Object.entries(types)) {
      if (type === 'array') {
        if (this.has(property) && !Array.isArray(this.source[property]))
          this.convertError(property);
      } else this[type](property);
    }
  }
}

export type IgnoredType = 'uuid' | 'long' | 'boolean' | 'string' | 'object' | 'array';

/** What every FusionAuth object carries and only the server sets. */
export const SERVER_SET: Readonly<Record<string, IgnoredType>> = Object.freeze({
  id: 'uuid',
  insertInstant: 'long',
  lastUpdateInstant: 'long',
});

/**
 * A replace (PUT, and a PATCH once merged) must name what it replaces: without its
 * wrapper object it would empty the stored one.
 */
export function requireWrapper(body: unknown, wrapper: string): void {
  if (!Fields.root(body, wrapper).top.has(wrapper)) throw ApiError.field('missing', wrapper);
}

/**
 * A settings object without its unset members, at every depth: FusionAuth leaves unset
 * fields out, and its client types them as optional, not nullable. Not for free-form
 * `data`, where a null is the caller's own value.
 */
export function omitNullsDeep(source: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(source)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([name, value]) => [name, isObject(value) ? omitNullsDeep(value) : value]),
  );
}

/** A JSON object without its null and undefined members (FusionAuth omits unset fields). */
export function omitNulls(source: JsonObject): JsonObject {
  // A loop, not Object.fromEntries: its objects serialise about twice as slowly.
  const kept: JsonObject = {};
  for (const name in source) {
    const value = source[name];
    if (value !== null && value !== undefined) kept[name] = value;
  }
  return kept;
}

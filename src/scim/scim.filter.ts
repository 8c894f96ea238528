import { isObject, JsonObject } from '../common/fields';
import { ScimError } from './scim.error';

/** RFC 7644 §3.4.2.2 comparison operators. */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Literal = string | number | boolean | null;

/** `attr` or `attr.sub`, lower-cased (attribute names are case-insensitive), schema URN removed. */
export interface AttrPath {
  readonly attr: string;
  readonly sub: string | null;
}

export type Filter =
  | { readonly kind: 'and' | 'or'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'not'; readonly filter: Filter }
  | { readonly kind: 'present'; readonly path: AttrPath }
  | {
      readonly kind: 'compare';
      readonly op: CompareOp;
      readonly path: AttrPath;
      readonly value: Literal;
    }
  /** `emails[type eq "work"]`: some element of a multi-valued attribute matches. */
  | { readonly kind: 'valuePath'; readonly attr: string; readonly filter: Filter };

/** A PATCH path (RFC 7644 §3.5.2): `attr[.sub]`, or `attr[filter][.sub]`. */
export interface PatchPath {
  readonly attr: string;
  readonly filter: Filter | null;
  readonly sub: string | null;
}

/** Far above any real filter; bounds the parser's work and recursion on hostile input. */
export const MAX_FILTER_LENGTH = 4096;
const MAX_DEPTH = 32;
const OPERATORS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const ORDERING = new Set<string>(['gt', 'ge', 'lt', 'le']);
const SUBSTRING = new Set<string>(['co', 'sw', 'ew']);
/** RFC 7643: `id` and `externalId` compare case-exactly; the rest of what is filtered does not. */
const CASE_EXACT = new Set(['id', 'externalid']);
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const ATTR_NAME = /^[A-Za-z$][\w$-]*$/;

type Token =
  | { readonly type: '(' | ')' | '[' | ']'; readonly at: number }
  | { readonly type: 'word'; readonly text: string; readonly at: number }
  | { readonly type: 'string'; readonly value: string; readonly at: number };

function fail(detail: string, path: boolean): ScimError {
  return path ? ScimError.invalidPath(detail) : ScimError.invalidFilter(detail);
}

function readString(text: string, start: number, path: boolean): { value: string; end: number } {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  if (index >= text.length) throw fail(`Unterminated string at ${start}.`, path);
  try {
    return { value: JSON.parse(text.slice(start, index + 1)) as string, end: index + 1 };
  } catch {
    throw fail(`Invalid string at ${start}.`, path);
  }
}

function tokenize(text: string, path: boolean): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      index++;
    } else if (char === '(' || char === ')' || char === '[' || char === ']') {
      tokens.push({ type: char, at: index });
      index++;
    } else if (char === '"') {
      const { value, end } = readString(text, index, path);
      tokens.push({ type: 'string', value, at: index });
      index = end;
    } else {
      const start = index;
      while (index < text.length && !' \t\n\r()[]"'.includes(text[index])) index++;
      tokens.push({ type: 'word', text: text.slice(start, index), at: start });
    }
  }
  return tokens;
}

/** `urn:…:User:name.givenName` → `{attr: 'name', sub: 'givenname'}`. */
function attrPath(text: string, path: boolean): AttrPath {
  const colon = text.lastIndexOf(':');
  const local = colon < 0 ? text : text.slice(colon + 1);
  const parts = local.split('.');
  if (parts.length > 2 || !parts.every((part) => ATTR_NAME.test(part)))
    throw fail(`Invalid attribute path "${text.slice(0, 100)}".`, path);
  return { attr: parts[0].toLowerCase(), sub: parts[1]?.toLowerCase() ?? null };
}

function literal(token: Token | undefined, path: boolean): Literal {
  if (token?.type === 'string') return token.value;
  if (token?.type === 'word') {
    const word = token.text.toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    if (NUMBER.test(token.text)) return Number(token.text);
  }
  throw fail('Expected a value: a string, a number, true, false or null.', path);
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly path: boolean,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token | undefined {
    return this.tokens[this.index++];
  }

  private keyword(): string | null {
    const token = this.peek();
    return token?.type === 'word' ? token.text.toLowerCase() : null;
  }

  private expect(type: '(' | ')' | '[' | ']'): void {
    if (this.next()?.type !== type) throw fail(`Expected "${type}".`, this.path);
  }

  get done(): boolean {
    return this.index >= this.tokens.length;
  }

  or(): Filter {
    if (++this.depth > MAX_DEPTH) throw fail('The filter nests too deeply.', this.path);
    let left = this.and();
    while (this.keyword() === 'or') {
      this.index++;
      left = { kind: 'or', left, right: this.and() };
    }
    this.depth--;
    return left;
  }

  private and(): Filter {
    let left = this.unary();
    while (this.keyword() === 'and') {
      this.index++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Filter {
    const token = this.peek();
    if (token?.type === '(') {
      this.index++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (this.keyword() === 'not' && this.tokens[this.index + 1]?.type === '(') {
      this.index += 2;
      const inner = this.or();
      this.expect(')');
      return { kind: 'not', filter: inner };
    }
    return this.comparison();
  }

  private comparison(): Filter {
    const token = this.next();
    if (token?.type !== 'word') throw fail('Expected an attribute path.', this.path);
    const path = attrPath(token.text, this.path);
    if (this.peek()?.type === '[') {
      if (path.sub !== null) throw fail('A value filter applies to an attribute.', this.path);
      return { kind: 'valuePath', attr: path.attr, filter: this.bracketed() };
    }
    const op = this.keyword();
    this.index++;
    if (op === 'pr') return { kind: 'present', path };
    if (op === null || !OPERATORS.has(op))
      throw fail('Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr).', this.path);
    const value = literal(this.next(), this.path);
    if (ORDERING.has(op) && (typeof value === 'boolean' || value === null))
      throw fail(`"${op}" compares strings, numbers and dates only.`, this.path);
    if (SUBSTRING.has(op) && typeof value !== 'string')
      throw fail(`"${op}" compares strings only.`, this.path);
    return { kind: 'compare', op: op as CompareOp, path, value };
  }

  bracketed(): Filter {
    this.expect('[');
    const inner = this.or();
    this.expect(']');
    return inner;
  }

  /** After `]` of a PATCH path: an optional `.sub`. */
  subAttribute(): string | null {
    const token = this.peek();
    if (token?.type !== 'word' || !token.text.startsWith('.')) return null;
    this.index++;
    const name = token.text.slice(1);
    if (!ATTR_NAME.test(name)) throw fail('Invalid sub-attribute.', this.path);
    return name.toLowerCase();
  }
}

function checkLength(text: unknown, what: string, path: boolean): string {
  if (typeof text !== 'string' || text.trim() === '') throw fail(`The ${what} is empty.`, path);
  if (text.length > MAX_FILTER_LENGTH) throw fail(`The ${what} is too long.`, path);
  return text;
}

/** Parses a `filter` query parameter; anything it cannot read is 400 `invalidFilter`. */
export function parseFilter(text: unknown): Filter {
  const parser = new Parser(tokenize(checkLength(text, 'filter', false), false), false);
  const filter = parser.or();
  if (!parser.done) throw ScimError.invalidFilter('Unexpected text after the filter.');
  return filter;
}

/** Parses a PATCH operation's `path`; anything it cannot read is 400 `invalidPath`. */
export function parsePatchPath(text: unknown): PatchPath {
  const tokens = tokenize(checkLength(text, 'path', true), true);
  const first = tokens[0];
  if (first?.type !== 'word') throw ScimError.invalidPath('Expected an attribute path.');
  const head = attrPath(first.text, true);
  if (tokens.length === 1) return { attr: head.attr, filter: null, sub: head.sub };
  if (head.sub !== null) throw ScimError.invalidPath('A value filter applies to an attribute.');
  const parser = new Parser(tokens.slice(1), true);
  const filter = parser.bracketed();
  const sub = parser.subAttribute();
  if (!parser.done) throw ScimError.invalidPath('Unexpected text after the path.');
  return { attr: head.attr, filter, sub };
}

/** The member of `object` named `name`, matched case-insensitively (`name` is lower case). */
export function member(object: JsonObject, name: string): unknown {
  if (name in object) return object[name];
  for (const key of Object.keys(object)) if (key.toLowerCase() === name) return object[key];
  return undefined;
}

/** The values a path names: every element's, for a multi-valued attribute (its `value` by default). */
function valuesAt(resource: JsonObject, path: AttrPath): unknown[] {
  const top = member(resource, path.attr);
  const items: unknown[] = Array.isArray(top) ? top : [top];
  return items.map((item): unknown => {
    if (path.sub !== null) return isObject(item) ? member(item, path.sub) : undefined;
    return Array.isArray(top) && isObject(item) ? member(item, 'value') : item;
  });
}

function present(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value !== '';
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

function compareStrings(op: CompareOp, actual: string, expected: string): boolean {
  switch (op) {
    case 'eq':
    case 'ne':
      return actual === expected;
    case 'co':
      return actual.includes(expected);
    case 'sw':
      return actual.startsWith(expected);
    case 'ew':
      return actual.endsWith(expected);
    case 'gt':
      return actual > expected;
    case 'ge':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'le':
      return actual <= expected;
  }
}

/** Whether one value satisfies the operator (for `ne`: equals, negated by the caller). */
function satisfies(op: CompareOp, actual: unknown, expected: Literal, caseExact: boolean): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    const fold = (value: string) => (caseExact ? value : value.toLowerCase());
    return compareStrings(op, fold(actual), fold(expected));
  }
  if (typeof actual === 'number' && typeof expected === 'number')
    return numeric(op, actual, expected);
  if (op === 'eq' || op === 'ne') return actual === expected;
  return false;
}

function numeric(op: CompareOp, actual: number, expected: number): boolean {
  switch (op) {
    case 'eq':
    case 'ne':
      return actual === expected;
    case 'gt':
      return actual > expected;
    case 'ge':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'le':
      return actual <= expected;
    case 'co':
    case 'sw':
    case 'ew':
      return false;
  }
}

/** Whether a resource (a SCIM JSON object) matches the filter. */
export function matches(filter: Filter, resource: JsonObject): boolean {
  switch (filter.kind) {
    case 'and':
      return matches(filter.left, resource) && matches(filter.right, resource);
    case 'or':
      return matches(filter.left, resource) || matches(filter.right, resource);
    case 'not':
      return !matches(filter.filter, resource);
    case 'present':
      return valuesAt(resource, filter.path).some(present);
    case 'compare': {
      const caseExact = filter.path.sub === null && CASE_EXACT.has(filter.path.attr);
      const values = valuesAt(resource, filter.path);
      const equal = (value: unknown) => satisfies(filter.op, value, filter.value, caseExact);
      // `ne` holds when no value equals: an absent attribute is not equal to anything.
      if (filter.op === 'ne') return !values.some(equal);
      // `eq null` matches an absent attribute, as RFC 7644 treats null as unassigned.
      if (filter.op === 'eq' && filter.value === null) return !values.some(present);
      return values.some(equal);
    }
    case 'valuePath': {
      const top = member(resource, filter.attr);
      const items = Array.isArray(top) ? top : [top];
      return items.some((item) => isObject(item) && matches(filter.filter, item));
    }
  }
}

import { JsonObject } from '../common/fields';
import { queryValue } from '../common/query';
import { parseUuid } from '../common/uuid';
import { ScimError } from './scim.error';
import { Filter, matches, parseFilter } from './scim.filter';
import { LIST_RESPONSE_SCHEMA } from './scim.resource';

/** Page size when a request names none, and the most one page holds (ServiceProviderConfig says so). */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1000;
/** The most resources a filter is evaluated over in memory; past it, the client must narrow it. */
export const MAX_FILTERED = 10_000;

export interface ScimListQuery {
  filter: Filter | null;
  /** 1-based. */
  startIndex: number;
  count: number;
}

function integer(value: unknown, name: string): number | null {
  const text = queryValue(value);
  if (text === null) return null;
  if (!/^-?\d{1,15}$/.test(text.trim()))
    throw ScimError.invalidValue(`"${name}" must be an integer.`);
  return Number(text.trim());
}

/**
 * `filter`, `startIndex` and `count` (RFC 7644 §3.4.2): a start below 1 reads as 1 and a
 * negative count as 0 (§3.4.2.4); the count is capped at MAX_COUNT.
 */
export function readListQuery(query: Record<string, unknown>): ScimListQuery {
  const filter = queryValue(query.filter);
  return {
    filter: filter === null ? null : parseFilter(filter),
    startIndex: Math.max(1, integer(query.startIndex, 'startIndex') ?? 1),
    count: Math.min(MAX_COUNT, Math.max(0, integer(query.count, 'count') ?? DEFAULT_COUNT)),
  };
}

export function listResponse(resources: JsonObject[], total: number, startIndex: number) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex,
    Resources: resources,
  };
}

/** Filters resources in memory and answers one page of them. */
export function filteredPage(resources: JsonObject[], query: ScimListQuery): JsonObject {
  const found = resources.filter(
    (resource) => query.filter === null || matches(query.filter, resource),
  );
  const page = found.slice(query.startIndex - 1, query.startIndex - 1 + query.count);
  return listResponse(page, found.length, query.startIndex);
}

export function tooMany(): ScimError {
  return new ScimError(
    400,
    'tooMany',
    `The filter would be evaluated over more than ${MAX_FILTERED} resources; narrow it with userName, emails.value, displayName or id eq.`,
  );
}

/** A path id that is no UUID names nothing: 404, as any unknown id. */
export function requireResourceId(value: string, resource: string): string {
  const id = parseUuid(value.trim());
  if (id !== null) return id;
  throw ScimError.notFound(resource, value.slice(0, 64));
}

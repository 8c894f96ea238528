import { randomBytes } from 'node:crypto';
import { ApiError } from '../common/api-error';
import { Fields, JsonObject, omitNulls, SERVER_SET } from '../common/fields';
import { queryFields, queryValues } from '../common/query';
import { parseUuid } from '../common/uuid';
import { likePattern, readPaging } from '../common/search';
import type { EntityRow } from './entity.entity';
import type { EntitySort, EntitySortField } from './entity.repository';
import type { Paging } from '../common/search';

const NAME = { max: 191, singleLine: true } as const;
const SORT_FIELDS: readonly EntitySortField[] = [
  'id',
  'insertInstant',
  'lastUpdateInstant',
  'name',
];

export interface EntityInput {
  name: string;
  typeId: string;
  /** Null: the entity's id (on create) or the current one (on replace). */
  clientId: string | null;
  /** Null: a new random secret (on create) or the current one (on replace). */
  clientSecret: string | null;
  data: JsonObject;
  parentId: string | null;
}

/** 256 random bits, base64url: 43 characters. */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A blank string reads as absent: the default applies (FusionAuth keeps the old secret on PUT). */
function optionalText(fields: Fields, property: string, max: number): string | null {
  const value = fields.string(property, { max, singleLine: true });
  return value === null || value.trim() === '' ? null : value;
}

/** Reads `{"entity": {...}}`; the `type` of a retrieved entity is read for its id alone. */
export function readEntityRequest(body: unknown): EntityInput {
  const { top, inner: entity } = Fields.root(body, 'entity');
  const name = entity.requiredString('name', NAME);
  const type = entity.object('type');
  const typeId = type?.uuid('id') ?? null;
  if (typeId === null && !top.errors.has('entity.type') && !top.errors.has('entity.type.id'))
    top.errors.add('blank', 'entity.type.id');
  const input = {
    clientId: optionalText(entity, 'clientId', 191),
    clientSecret: optionalText(entity, 'clientSecret', 255),
    data: entity.record('data') ?? {},
    parentId: entity.uuid('parentId'),
  };
  entity.typeCheck({ ...SERVER_SET, tenantId: 'uuid' });
  top.errors.throwIfAny();
  return { name: name!, typeId: typeId!, ...input };
}

/** The one place an entity becomes JSON; FusionAuth returns the secret and the full type. */
export function entityToJson(row: EntityRow, type: JsonObject): JsonObject {
  return omitNulls({
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    type,
    clientId: row.clientId,
    clientSecret: row.clientSecret,
    data: row.data,
    parentId: row.parentId,
    insertInstant: row.insertInstant,
    lastUpdateInstant: row.lastUpdateInstant,
  });
}

export interface EntitySearch extends Paging {
  /** A LIKE pattern on the name; null matches every entity. */
  name: string | null;
  /** When set, the search is by ids and nothing else. */
  ids: string[] | null;
  sort: EntitySort[];
}

/**
 * `queryString` is not Elasticsearch here: `*` (or nothing) matches every entity, any
 * other text matches names, `*` as a wildcard, containing the text when it has none.
 */
export function queryStringPattern(queryString: string | null): string | null {
  return likePattern(queryString);
}

function readSortFields(source: Fields): EntitySort[] {
  return (source.objectArray('sortFields') ?? []).flatMap((entry) => {
    const name = entry.choice('name', SORT_FIELDS) as EntitySortField | null;
    const order = (entry.choice('order', ['asc', 'desc', 'ASC', 'DESC']) ?? 'asc').toUpperCase();
    entry.typeCheck({ missing: 'string' });
    return name === null ? [] : [{ field: name, direction: order as 'ASC' | 'DESC' }];
  });
}

/** A search from a `search` object, or from a query string (`ids` given separately). */
export function readEntitySearch(source: Fields, ids?: string[]): EntitySearch {
  const search: EntitySearch = {
    name: queryStringPattern(source.string('queryString', { max: 1024 })),
    ids: ids !== undefined ? (ids.length > 0 ? ids : null) : source.uuidArray('ids'),
    sort: readSortFields(source),
    ...readPaging(source),
  };
  source.typeCheck({ query: 'string', accurateTotal: 'boolean' });
  source.errors.throwIfAny();
  return search;
}

/** `GET /api/entity/search`: `?ids=..&ids=..`, or `?queryString=` with paging. */
export function readEntitySearchQuery(query: Record<string, unknown>): EntitySearch {
  const ids = queryValues(query.ids);
  const parsed = ids.map(parseUuid);
  if (parsed.some((id) => id === null)) throw ApiError.field('couldNotConvert', 'ids');
  const rest = Object.fromEntries(Object.entries(query).filter(([name]) => name !== 'ids'));
  return readEntitySearch(queryFields(rest), parsed as string[]);
}

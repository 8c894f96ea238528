import { FieldErrors } from '../common/api-error';
import { Fields, JsonObject } from '../common/fields';
import { queryValue, queryValues } from '../common/query';
import { likePattern, Paging, readPaging } from '../common/search';
import { parseUuid } from '../common/uuid';

/** The user properties a search may sort on (each an indexed column or an instant). */
export const SORTABLE = [
  'email',
  'username',
  'firstName',
  'lastName',
  'fullName',
  'insertInstant',
  'lastUpdateInstant',
  'lastLoginInstant',
  'id',
  'tenantId',
] as const;
export type SortableProperty = (typeof SORTABLE)[number];

export interface UserSort {
  property: SortableProperty;
  order: 'ASC' | 'DESC';
}

/**
 * A user search. `ids` set: those users, not paginated (FusionAuth's by-id search).
 * Otherwise `pattern` is a SQL LIKE pattern matched against the names, email and
 * username, or null for every user.
 */
export interface UserSearch extends Paging {
  ids: string[] | null;
  pattern: string | null;
  sort: UserSort[];
}

function readIds(search: Fields): string[] | null {
  const ids = search.stringArray('ids', { max: 36 });
  if (ids === null) return null;
  const parsed = ids.map(parseUuid);
  if (parsed.every((id): id is string => id !== null)) return [...new Set(parsed)];
  search.errors.add('couldNotConvert', search.name('ids'));
  return null;
}

function readSort(search: Fields): UserSort[] {
  const sorts: UserSort[] = [];
  for (const field of search.objectArray('sortFields') ?? []) {
    const name = field.string('name', { max: 64 });
    const order = (field.string('order', { max: 4 }) ?? 'asc').toLowerCase();
    const property = SORTABLE.find((candidate) => candidate === name);
    if (property !== undefined && (order === 'asc' || order === 'desc')) {
      sorts.push({ property, order: order === 'asc' ? 'ASC' : 'DESC' });
    } else if (!field.errors.has(field.name('name')) && !field.errors.has(field.name('order'))) {
      field.errors.add(
        'invalid',
        field.path,
        `The [${field.path}] must name one of ${SORTABLE.join(', ')}, and an order of asc or desc.`,
      );
    }
  }
  return sorts;
}

/** Reads `{"search": {ids | queryString, numberOfResults, startRow, sortFields}}`. */
export function readUserSearch(search: Fields): UserSearch {
  const ids = readIds(search);
  const queryString = search.string('queryString', { max: 1024 });
  const result: UserSearch = {
    ids,
    pattern: likePattern(queryString?.trim() ?? null),
    ...readPaging(search),
    sort: readSort(search),
  };
  search.errors.throwIfAny();
  return result;
}

/**
 * The same search from a query string: `?ids=a&ids=b` (ids that are not UUIDs are
 * ignored, as FusionAuth's client documents), `queryString`, `numberOfResults`,
 * `startRow`, and `sortFields[0].name` / `sortFields[0].order`.
 */
export function readUserSearchQuery(query: Record<string, unknown>): UserSearch {
  const given = queryValues(query.ids);
  const ids = given.map(parseUuid).filter((id): id is string => id !== null);
  const sortFields: JsonObject[] = [];
  for (const [name, value] of Object.entries(query)) {
    const match = /^sortFields\[(\d{1,2})\]\.(name|order)$/.exec(name);
    if (match !== null) (sortFields[Number(match[1])] ??= {})[match[2]] = queryValue(value);
  }
  const source: JsonObject = {
    ids: given.length === 0 ? null : ids,
    queryString: queryValue(query.queryString),
    numberOfResults: queryValue(query.numberOfResults),
    startRow: queryValue(query.startRow),
    sortFields: sortFields.filter((entry) => entry !== undefined),
  };
  return readUserSearch(new Fields(source, '', new FieldErrors()));
}

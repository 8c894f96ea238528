import { Fields, JsonObject, omitNulls, SERVER_SET } from '../common/fields';
import { likePattern, readPaging } from '../common/search';
import type { EntityTypePermissionRow, EntityTypeRow } from './entity.entity';
import type { EntityTypeOrder, EntityTypeSearch } from './entity-type.repository';

const NAME = { max: 191, singleLine: true } as const;
const ORDER_FIELDS: readonly EntityTypeOrder[] = [
  'id',
  'insertInstant',
  'lastUpdateInstant',
  'name',
];

export interface JwtInput {
  enabled: boolean;
  accessTokenKeyId: string | null;
  timeToLiveInSeconds: number | null;
}

export interface PermissionInput {
  name: string;
  description: string | null;
  isDefault: boolean;
  data: JsonObject;
}

export interface EntityTypeInput {
  name: string;
  data: JsonObject;
  jwt: JwtInput;
  /** Only a create reads them; afterwards they change through the permission routes. */
  permissions: PermissionInput[];
}

/** When enabled, the key and the lifetime of the type's tokens are both required. */
function readJwt(jwt: Fields | null): JwtInput {
  if (jwt === null) return { enabled: false, accessTokenKeyId: null, timeToLiveInSeconds: null };
  const input = {
    enabled: jwt.boolean('enabled') ?? false,
    accessTokenKeyId: jwt.uuid('accessTokenKeyId'),
    timeToLiveInSeconds: jwt.integer('timeToLiveInSeconds', { min: 1 }),
  };
  jwt.typeCheck({ accessTokenVerificationKeyIds: 'array' });
  if (input.enabled) {
    for (const property of ['accessTokenKeyId', 'timeToLiveInSeconds'] as const) {
      if (input[property] === null && !jwt.errors.has(jwt.name(property)))
        jwt.errors.add('blank', jwt.name(property));
    }
  }
  return input;
}

function readPermission(permission: Fields): PermissionInput {
  const input = {
    name: permission.requiredString('name', NAME),
    description: permission.string('description', { max: 1024 }),
    isDefault: permission.boolean('isDefault') ?? false,
    data: permission.record('data') ?? {},
  };
  permission.typeCheck(SERVER_SET);
  return { ...input, name: input.name ?? '' };
}

/** Reads `{"entityType": {...}}`; read-only fields of a retrieved type are ignored. */
export function readEntityTypeRequest(body: unknown, create: boolean): EntityTypeInput {
  const { top, inner: type } = Fields.root(body, 'entityType');
  const name = type.requiredString('name', NAME);
  const data = type.record('data') ?? {};
  const jwt = readJwt(type.object('jwtConfiguration'));
  const permissions = create ? (type.objectArray('permissions') ?? []).map(readPermission) : [];
  type.typeCheck({ ...SERVER_SET, ...(create ? {} : { permissions: 'array' }) });
  const names = permissions.map((permission) => permission.name);
  if (new Set(names).size !== names.length) top.errors.add('duplicate', 'entityType.permissions');
  top.errors.throwIfAny();
  return { name: name!, data, jwt, permissions };
}

/** Reads `{"permission": {...}}`. */
export function readPermissionRequest(body: unknown): PermissionInput {
  const { top, inner } = Fields.root(body, 'permission');
  const input = readPermission(inner);
  top.errors.throwIfAny();
  return input;
}

/** `orderBy` as FusionAuth writes it: `<field>[ ASC|DESC]`, `name ASC` by default. */
function readOrderBy(source: Fields): EntityTypeSearch['orderBy'] {
  const text = source.string('orderBy', { max: 64 });
  if (text === null) return { field: 'name', direction: 'ASC' };
  const [field, direction = 'ASC', ...rest] = text.trim().split(/\s+/);
  const upper = direction.toUpperCase();
  if (
    (ORDER_FIELDS as readonly string[]).includes(field) &&
    (upper === 'ASC' || upper === 'DESC') &&
    rest.length === 0
  )
    return { field: field as EntityTypeOrder, direction: upper };
  source.errors.add(
    'invalid',
    source.name('orderBy'),
    `The [${source.name('orderBy')}] must be one of ${ORDER_FIELDS.join(', ')}, then ASC or DESC.`,
  );
  return { field: 'name', direction: 'ASC' };
}

/** A type search, from a query string or a `search` object; `name` takes `*` wildcards. */
export function readEntityTypeSearch(source: Fields): EntityTypeSearch {
  const search: EntityTypeSearch = {
    name: likePattern(source.string('name', { max: 191 })),
    orderBy: readOrderBy(source),
    ...readPaging(source),
  };
  source.errors.throwIfAny();
  return search;
}

export function permissionToJson(row: EntityTypePermissionRow): JsonObject {
  return omitNulls({
    id: row.id,
    name: row.name,
    description: row.description,
    isDefault: row.isDefault,
    data: row.data,
    insertInstant: row.insertInstant,
    lastUpdateInstant: row.lastUpdateInstant,
  });
}

/** The one place a type becomes JSON, with its permissions. */
export function entityTypeToJson(
  row: EntityTypeRow,
  permissions: EntityTypePermissionRow[],
): JsonObject {
  return {
    id: row.id,
    name: row.name,
    data: row.data,
    jwtConfiguration: omitNulls({
      enabled: row.jwtEnabled,
      accessTokenKeyId: row.jwtAccessTokenKeyId,
      timeToLiveInSeconds: row.jwtTimeToLiveSeconds,
    }),
    permissions: permissions.map(permissionToJson),
    insertInstant: row.insertInstant,
    lastUpdateInstant: row.lastUpdateInstant,
  };
}

import { FieldErrors } from '../common/api-error';
import { Fields, JsonObject, omitNulls, SERVER_SET } from '../common/fields';
import { queryFields } from '../common/query';
import { likePattern, readPaging } from '../common/search';
import type { EntityGrantRow } from './entity.entity';
import type { Grantee, GrantSearch } from './entity-grant.repository';

export interface GrantInput {
  grantee: Grantee;
  /** Null: the target type's default permissions. */
  permissions: string[] | null;
  data: JsonObject;
}

/** Exactly one of the two names who the grant is for. */
function oneGrantee(
  recipientEntityId: string | null,
  userId: string | null,
  errors: FieldErrors,
  prefix: string,
): Grantee | null {
  if (recipientEntityId !== null && userId !== null) {
    errors.add(
      'invalid',
      `${prefix}recipientEntityId`,
      `Name either [${prefix}recipientEntityId] or [${prefix}userId], not both.`,
    );
    return null;
  }
  if (recipientEntityId !== null) return { recipientEntityId };
  if (userId !== null) return { userId };
  if (!errors.has(`${prefix}recipientEntityId`) && !errors.has(`${prefix}userId`)) {
    const message = `You must specify either the [${prefix}recipientEntityId] or the [${prefix}userId] property.`;
    errors.add('blank', `${prefix}recipientEntityId`, message);
    errors.add('blank', `${prefix}userId`, message);
  }
  return null;
}

/** Reads `{"grant": {"recipientEntityId" | "userId", "permissions", "data"}}`. */
export function readGrantRequest(body: unknown): GrantInput {
  const { top, inner: grant } = Fields.root(body, 'grant');
  const recipientEntityId = grant.uuid('recipientEntityId');
  const userId = grant.uuid('userId');
  const permissions = grant.stringArray('permissions', { max: 191 });
  const data = grant.record('data') ?? {};
  grant.typeCheck({ ...SERVER_SET, entity: 'object' });
  const grantee = oneGrantee(recipientEntityId, userId, top.errors, 'grant.');
  top.errors.throwIfAny();
  const named = [...new Set(permissions ?? [])];
  return { grantee: grantee!, permissions: named.length > 0 ? named : null, data };
}

/**
 * `?recipientEntityId=&userId=` of a grant's retrieve or delete (the client sends both, one
 * as the literal `undefined`). `required`: one must be given; else none means every grant.
 */
export function readGranteeQuery(
  query: Record<string, unknown>,
  required: boolean,
): Grantee | null {
  const fields = queryFields(query);
  const recipientEntityId = fields.uuid('recipientEntityId');
  const userId = fields.uuid('userId');
  fields.errors.throwIfAny();
  if (recipientEntityId === null && userId === null) {
    if (!required) return null;
    throw new FieldErrors().add('missing', 'recipientEntityId').add('missing', 'userId').toError();
  }
  const grantee = oneGrantee(recipientEntityId, userId, fields.errors, '');
  fields.errors.throwIfAny();
  return grantee;
}

export function readGrantSearch(source: Fields): GrantSearch {
  const search: GrantSearch = {
    entityId: source.uuid('entityId'),
    name: likePattern(source.string('name', { max: 191 })),
    userId: source.uuid('userId'),
    recipientEntityId: source.uuid('recipientEntityId'),
    ...readPaging(source),
  };
  source.errors.throwIfAny();
  return search;
}

/** The one place a grant becomes JSON, with its target entity in full. */
export function grantToJson(row: EntityGrantRow, entity: JsonObject): JsonObject {
  return omitNulls({
    id: row.id,
    entity,
    recipientEntityId: row.recipientEntityId,
    userId: row.userId,
    permissions: row.permissions,
    data: row.data,
    insertInstant: row.insertInstant,
    lastUpdateInstant: row.lastUpdateInstant,
  });
}

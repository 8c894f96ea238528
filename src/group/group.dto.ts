import { ApiError, FieldErrors } from '../common/api-error';
import { Fields, isObject, JsonObject, SERVER_SET } from '../common/fields';
import { parseUuid } from '../common/uuid';
import { roleToJson } from '../application/application.dto';
import type { ApplicationRoleEntity } from '../application/application.entity';
import type { GroupEntity, GroupMemberEntity } from './group.entity';

export interface GroupInput {
  name: string;
  data: JsonObject;
  roleIds: string[];
}

/** Reads `{"group": {...}, "roleIds": [...]}`; read-only fields of a retrieved group are ignored. */
export function readGroupRequest(body: unknown): GroupInput {
  const { top, inner: group } = Fields.root(body, 'group');
  const name = group.requiredString('name', { max: 191, singleLine: true });
  const data = group.record('data') ?? {};
  group.typeCheck({ ...SERVER_SET, tenantId: 'uuid', roles: 'object' });
  const roleIds = top.uuidArray('roleIds') ?? [];
  top.errors.throwIfAny();
  return { name: name!, data, roleIds: [...new Set(roleIds)] };
}

/** The one place a group becomes JSON: its roles grouped by application. */
export function groupToJson(entity: GroupEntity, roles: ApplicationRoleEntity[]): JsonObject {
  const byApplication: Record<string, JsonObject[]> = {};
  for (const role of roles) (byApplication[role.applicationId] ??= []).push(roleToJson(role));
  return {
    id: entity.id,
    tenantId: entity.tenantId,
    name: entity.name,
    data: entity.data,
    roles: byApplication,
    insertInstant: entity.insertInstant,
    lastUpdateInstant: entity.lastUpdateInstant,
  };
}

export function memberToJson(member: GroupMemberEntity): JsonObject {
  return {
    id: member.id,
    groupId: member.groupId,
    userId: member.userId,
    data: member.data,
    insertInstant: member.insertInstant,
  };
}

export interface MemberInput {
  userId: string;
  data: JsonObject;
}

/** One `[couldNotConvert]members`, however many entries are malformed. */
function badMembers(errors: FieldErrors): null {
  if (!errors.has('members')) errors.add('couldNotConvert', 'members');
  return null;
}

/** A `members` map keyed by group id, its values read by `readItem`. */
function readMembersMap<T>(
  body: unknown,
  readItem: (item: unknown, errors: FieldErrors) => T | null,
): Map<string, T[]> {
  const { top } = Fields.root(body, 'members');
  const errors = top.errors;
  const raw = top.raw('members');
  if (raw === undefined || raw === null) throw ApiError.field('missing', 'members');
  if (!isObject(raw)) throw ApiError.field('couldNotConvert', 'members');
  const groups = new Map<string, T[]>();
  for (const [key, list] of Object.entries(raw)) {
    const groupId = parseUuid(key);
    if (groupId === null || !Array.isArray(list)) {
      badMembers(errors);
      continue;
    }
    const items = list.map((item) => readItem(item, errors));
    groups.set(
      groupId,
      items.filter((item): item is T => item !== null),
    );
  }
  if (groups.size === 0 && !errors.has()) errors.add('blank', 'members');
  errors.throwIfAny();
  return groups;
}

/**
 * Reads `{"members": {"<groupId>": [{"userId": "...", "data": {...}}]}}`. A user named
 * twice for one group counts once (the last entry wins).
 */
export function readMemberRequest(body: unknown): Map<string, MemberInput[]> {
  const groups = readMembersMap(body, (item, errors) => {
    if (!isObject(item)) return badMembers(errors);
    const member = new Fields(item, 'members', errors);
    const userId = member.uuid('userId');
    if (userId === null && !member.errors.has('members.userId'))
      member.errors.add('blank', 'members.userId');
    const data = member.record('data') ?? {};
    return userId === null ? null : { userId, data };
  });
  for (const [groupId, members] of groups) {
    const byUser = new Map(members.map((member) => [member.userId, member]));
    groups.set(groupId, [...byUser.values()]);
  }
  return groups;
}

/** A membership a new user is created with (`user.memberships[x]` on `POST /api/user`). */
export interface NewMembership {
  /** The request's path of the entry, for field errors (`user.memberships[2]`). */
  field: string;
  /** A chosen membership id, or null for a random one. */
  id: string | null;
  groupId: string;
  data: JsonObject;
}

/**
 * Reads `user.memberships`: `[{"groupId": "...", "id"?: "...", "data"?: {...}}]`. Read-only
 * fields of a retrieved user's memberships (userId, insertInstant) are type-checked and
 * ignored. A group named twice counts once, the last entry winning, as the Group Member
 * API counts a user named twice.
 */
export function readNewMemberships(user: Fields): NewMembership[] {
  const entries = user.objectArray('memberships') ?? [];
  const byGroup = new Map<string, NewMembership>();
  for (const entry of entries) {
    const groupId = entry.uuid('groupId');
    if (groupId === null && !entry.errors.has(entry.name('groupId')))
      entry.errors.add('blank', entry.name('groupId'));
    entry.typeCheck({ userId: 'uuid', insertInstant: 'long' });
    const membership = {
      field: entry.path,
      id: entry.uuid('id'),
      data: entry.record('data') ?? {},
    };
    if (groupId !== null) {
      byGroup.delete(groupId);
      byGroup.set(groupId, { ...membership, groupId });
    }
  }
  return [...byGroup.values()];
}

export type MemberDeletion =
  { kind: 'ids'; memberIds: string[] } | { kind: 'members'; members: Map<string, string[]> };

/** Reads `{"memberIds": [...]}` or `{"members": {"<groupId>": ["<userId>"]}}`. */
export function readMemberDeletion(body: unknown): MemberDeletion {
  const top = new Fields(isObject(body) ? body : {}, '', new FieldErrors());
  if (top.has('memberIds') || !top.has('members')) {
    const memberIds = top.uuidArray('memberIds');
    if (memberIds === null && !top.errors.has()) top.errors.add('missing', 'memberIds');
    if (memberIds?.length === 0) top.errors.add('blank', 'memberIds');
    top.errors.throwIfAny();
    return { kind: 'ids', memberIds: [...new Set(memberIds)] };
  }
  const members = readMembersMap(body, (item, errors) => {
    const userId = typeof item === 'string' ? parseUuid(item) : null;
    return userId ?? badMembers(errors);
  });
  return { kind: 'members', members };
}

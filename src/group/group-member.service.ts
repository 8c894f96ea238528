import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Caller } from '../auth/principal';
import { ApiError, EmptyResponse, FieldErrors } from '../common/api-error';
import { JsonObject } from '../common/fields';
import { Paging } from '../common/search';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import {
  MemberInput,
  memberToJson,
  NewMembership,
  readMemberDeletion,
  readMemberRequest,
} from './group.dto';
import { GroupEntity, GroupMemberEntity } from './group.entity';
import { GroupRepository } from './group.repository';

export interface MemberSearch extends Paging {
  groupId: string | null;
  userId: string | null;
}

/**
 * Group members. A member's group must be visible to the caller and its user must
 * exist in the group's tenant. Adding a user who is already a member keeps the
 * membership (id and insertInstant) and takes the new data.
 */
@Injectable()
export class GroupMemberService {
  constructor(private readonly groups: GroupRepository) {}

  /** POST adds to the named groups; PUT (`replace`) makes the lists their only members. */
  async write(caller: Caller, body: unknown, replace: boolean): Promise<JsonObject> {
    const request = readMemberRequest(body);
    const groups = await this.groupsOf(caller, [...request.keys()]);
    await this.checkUsers(groups, request);
    const now = Date.now();
    const members: Record<string, JsonObject[]> = {};
    for (const group of groups) {
      const wanted = request.get(group.id)!.map((input): GroupMemberEntity => ({
        id: newId(),
        groupId: group.id,
        ...input,
        insertInstant: now,
      }));
      try {
        const written = await this.groups.writeMembers(group.tenantId, group.id, wanted, replace);
        members[group.id] = written.map(memberToJson);
      } catch (error) {
        if (isUniqueViolation(error)) throw ApiError.field('duplicate', 'members');
        throw error;
      }
    }
    return { members };
  }

  /**
   * Adds to `errors` what is wrong with the memberships a new user of `tenantId` is to be
   * created with. A group must be one of that tenant's: another tenant's answers as one
   * that does not exist, as the Group Member API answers. A chosen membership id must be
   * new, in any tenant (ids are global keys; the answer does not say where it is held).
   */
  async checkNewMemberships(
    tenantId: string,
    memberships: NewMembership[],
    errors: FieldErrors,
  ): Promise<void> {
    const groupIds = memberships.map((membership) => membership.groupId);
    const known = new Set((await this.groups.getManyByIds(tenantId, groupIds)).map((g) => g.id));
    const chosen = memberships.flatMap((membership) => membership.id ?? []);
    const taken = new Set((await this.groups.membersByIds(null, chosen)).map((m) => m.id));
    const seen = new Set<string>();
    for (const { field, id, groupId } of memberships) {
      if (!known.has(groupId))
        errors.add('invalid', `${field}.groupId`, `No group has the id [${groupId}].`);
      if (id !== null && (taken.has(id) || seen.has(id))) errors.add('duplicate', `${field}.id`);
      if (id !== null) seen.add(id);
    }
  }

  /** Inserts a new user's memberships, checked first, in the transaction that inserts it. */
  async addNewUser(
    user: { id: string; insertInstant: number },
    memberships: NewMembership[],
    manager: EntityManager,
  ): Promise<void> {
    const members = memberships.map(({ id, groupId, data }): GroupMemberEntity => ({
      id: id ?? newId(),
      groupId,
      userId: user.id,
      data,
      insertInstant: user.insertInstant,
    }));
    await this.groups.insertMembers(members, manager);
  }

  async deleteById(caller: Caller, memberId: string): Promise<void> {
    await this.deleteMembers(caller, [memberId]);
  }

  async deleteByUser(caller: Caller, groupId: string, userId: string): Promise<void> {
    await this.deleteFromGroups(caller, new Map([[groupId, [userId]]]));
  }

  /** `{"memberIds": [...]}` or `{"members": {"<groupId>": ["<userId>", ...]}}`: all of them, or 404. */
  async deleteByBody(caller: Caller, body: unknown): Promise<void> {
    const deletion = readMemberDeletion(body);
    if (deletion.kind === 'ids') await this.deleteMembers(caller, deletion.memberIds);
    else await this.deleteFromGroups(caller, deletion.members);
  }

  async search(caller: Caller, criteria: MemberSearch): Promise<JsonObject> {
    const page = await this.groups.searchMembers(caller.tenantId, criteria, criteria);
    return { members: page.rows.map(memberToJson), total: page.total };
  }

  private async deleteMembers(caller: Caller, memberIds: string[]): Promise<void> {
    const found = await this.groups.membersByIds(caller.tenantId, memberIds);
    if (found.length !== memberIds.length) throw EmptyResponse.notFound;
    await this.groups.deleteMembers(caller.tenantId, memberIds);
  }

  private async deleteFromGroups(caller: Caller, request: Map<string, string[]>): Promise<void> {
    const memberIds: string[] = [];
    for (const [groupId, userIds] of request) {
      const group = await this.groups.getById(caller.tenantId, groupId);
      const wanted = [...new Set(userIds)];
      const found =
        group === null ? [] : await this.groups.membersOf(group.tenantId, group.id, wanted);
      if (found.length !== wanted.length) throw EmptyResponse.notFound;
      memberIds.push(...found.map((member) => member.id));
    }
    await this.groups.deleteMembers(caller.tenantId, memberIds);
  }

  private async groupsOf(caller: Caller, ids: string[]): Promise<GroupEntity[]> {
    const groups = await this.groups.getManyByIds(caller.tenantId, ids);
    const missing = ids.filter((id) => !groups.some((group) => group.id === id));
    if (missing.length > 0) {
      throw ApiError.field('invalid', 'members', `No group has the id [${missing[0]}].`);
    }
    return groups;
  }

  private async checkUsers(
    groups: GroupEntity[],
    request: Map<string, MemberInput[]>,
  ): Promise<void> {
    const errors = new FieldErrors();
    for (const group of groups) {
      const userIds = request.get(group.id)!.map((member) => member.userId);
      const known = await this.groups.usersInTenant(group.tenantId, userIds);
      const unknown = userIds.find((userId) => !known.has(userId));
      if (unknown !== undefined && !errors.has('members')) {
        errors.add(
          'invalid',
          'members',
          `No user with the id [${unknown}] exists in the tenant of group [${group.id}].`,
        );
      }
    }
    errors.throwIfAny();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '../auth/principal';
import { JsonObject } from '../common/fields';
import { parseUuid } from '../common/uuid';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { GroupEntity } from '../group/group.entity';
import { GroupMemberService } from '../group/group-member.service';
import { GroupRepository } from '../group/group.repository';
import { GroupService } from '../group/group.service';
import { UserRepository } from '../user/user.repository';
import { ScimError } from './scim.error';
import { Filter } from './scim.filter';
import { filteredPage, MAX_FILTERED, requireResourceId, ScimListQuery, tooMany } from './scim.list';
import { applyPatchOps } from './scim.patch';
import {
  GROUP_PATCHABLE,
  groupRequestOf,
  readScimGroup,
  ScimGroupInput,
  scimGroupOf,
  ScimMember,
} from './scim-group.mapper';
import { scimBase, scimTenant } from './scim.tenant';

/**
 * SCIM Groups over the tenant's groups; members are users of the same tenant. Changes
 * go through the Group and Group Member services, so their rules hold; the roles a
 * group grants are Portcullis's own and a SCIM replace keeps them.
 */
@Injectable()
export class ScimGroupService {
  constructor(
    private readonly groups: GroupService,
    private readonly members: GroupMemberService,
    private readonly repository: GroupRepository,
    private readonly users: UserRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async entity(caller: Caller, id: string): Promise<GroupEntity> {
    const tenantId = scimTenant(caller);
    const entity = await this.repository.getById(tenantId, requireResourceId(id, 'Group'));
    if (entity === null) throw ScimError.notFound('Group', id);
    return entity;
  }

  private async membersOf(group: GroupEntity): Promise<ScimMember[]> {
    const userIds = (await this.repository.membersOf(group.tenantId, group.id)).map(
      (member) => member.userId,
    );
    if (userIds.length === 0) return [];
    const { rows } = await this.users.search(group.tenantId, {
      ids: userIds,
      pattern: null,
      sort: [],
      startRow: 0,
      numberOfResults: userIds.length,
    });
    const users = new Map(rows.map((user) => [user.id, user]));
    return userIds.map((userId) => {
      const user = users.get(userId);
      const display = user === undefined ? null : (user.fullName ?? user.username ?? user.email);
      return { userId, display };
    });
  }

  private async toScim(group: GroupEntity, requestBase: string): Promise<JsonObject> {
    return scimGroupOf(group, await this.membersOf(group), scimBase(this.config, requestBase));
  }

  async retrieve(caller: Caller, requestBase: string, id: string): Promise<JsonObject> {
    return this.toScim(await this.entity(caller, id), requestBase);
  }

  async list(caller: Caller, requestBase: string, query: ScimListQuery): Promise<JsonObject> {
    const tenantId = scimTenant(caller);
    const rows =
      (query.filter === null ? null : await this.indexed(tenantId, query.filter)) ??
      (await this.repository.list(tenantId));
    // Groups are few beside users: an unfiltered list pages the tenant's in memory.
    if (query.filter !== null && rows.length > MAX_FILTERED) throw tooMany();
    // Filters see members without their display names: one query per group is for the page only.
    const base = scimBase(this.config, requestBase);
    const resources = rows.map((row) => scimGroupOf(row, [], base));
    const page = filteredPage(resources, query);
    const ids = (page.Resources as JsonObject[]).map((resource) => resource.id);
    page.Resources = await Promise.all(
      ids.map((id) =>
        this.toScim(
          rows.find((row) => row.id === id)!,
          requestBase,
        ),
      ),
    );
    return page;
  }

  private async indexed(tenantId: string, filter: Filter): Promise<GroupEntity[] | null> {
    if (filter.kind === 'and')
      return (await this.indexed(tenantId, filter.left)) ?? this.indexed(tenantId, filter.right);
    if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string')
      return null;
    if (filter.path.sub !== null) return null;
    let found: GroupEntity | null;
    if (filter.path.attr === 'displayname') {
      found = await this.repository.findByName(tenantId, filter.value);
    } else if (filter.path.attr === 'id') {
      const id = parseUuid(filter.value);
      found = id === null ? null : await this.repository.getById(tenantId, id);
    } else {
      return null;
    }
    return found === null ? [] : [found];
  }

  async create(caller: Caller, requestBase: string, body: unknown): Promise<JsonObject> {
    const tenantId = scimTenant(caller);
    const input = readScimGroup(body);
    await this.requireUsers(tenantId, input.members);
    const created = await this.groups.create(caller, null, groupRequestOf(input, null));
    const id = String((created.group as JsonObject).id);
    const group = await this.entity(caller, id);
    await this.writeMembers(caller, group, input.members);
    return this.toScim(group, requestBase);
  }

  async replace(caller: Caller, requestBase: string, id: string, body: unknown) {
    const group = await this.entity(caller, id);
    return this.store(caller, requestBase, group, readScimGroup(body));
  }

  async patch(caller: Caller, requestBase: string, id: string, body: unknown) {
    const group = await this.entity(caller, id);
    const current = await this.toScim(group, requestBase);
    const patched = applyPatchOps(current, body, GROUP_PATCHABLE);
    return this.store(caller, requestBase, group, readScimGroup(patched));
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const group = await this.entity(caller, id);
    await this.groups.delete(caller, group.id);
  }

  private async store(
    caller: Caller,
    requestBase: string,
    group: GroupEntity,
    input: ScimGroupInput,
  ): Promise<JsonObject> {
    await this.requireUsers(group.tenantId, input.members);
    const roleIds = (await this.repository.roleLinks(group.tenantId, [group.id])).map(
      (link) => link.roleId,
    );
    await this.groups.update(caller, group.id, { ...groupRequestOf(input, group), roleIds });
    await this.writeMembers(caller, group, input.members);
    return this.retrieve(caller, requestBase, group.id);
  }

  /** Members must be users of the group's tenant; checked before anything is written. */
  private async requireUsers(tenantId: string, userIds: string[]): Promise<void> {
    const known = await this.repository.usersInTenant(tenantId, userIds);
    const unknown = userIds.find((userId) => !known.has(userId));
    if (unknown !== undefined)
      throw ScimError.invalidValue(`No user with the id ${unknown} exists in this tenant.`);
  }

  /** Makes `userIds` the group's members: adds the missing, removes the others. */
  private async writeMembers(caller: Caller, group: GroupEntity, userIds: string[]) {
    const current = new Set(
      (await this.repository.membersOf(group.tenantId, group.id)).map((member) => member.userId),
    );
    const wanted = new Set(userIds);
    const added = userIds.filter((userId) => !current.has(userId));
    const removed = [...current].filter((userId) => !wanted.has(userId));
    if (added.length > 0) {
      const body = { members: { [group.id]: added.map((userId) => ({ userId })) } };
      await this.members.write(caller, body, false);
    }
    if (removed.length > 0)
      await this.members.deleteByBody(caller, { members: { [group.id]: removed } });
  }
}

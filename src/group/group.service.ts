import { Injectable } from '@nestjs/common';
import { ApplicationRepository } from '../application/application.repository';
import { Caller } from '../auth/principal';
import { requireTenant } from '../auth/tenant-requirement';
import { ApiError, EmptyResponse } from '../common/api-error';
import { JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { NameSearch, searchTenant } from '../common/search';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { TenantDirectory } from '../tenant/tenant.directory';
import { GroupInput, groupToJson, readGroupRequest } from './group.dto';
import { GroupEntity } from './group.entity';
import { GroupRepository } from './group.repository';

/**
 * Groups. A create lands in the caller's tenant (or the only one); a request by id
 * finds the tenant from the group. Names are unique per tenant, ignoring case; the
 * roles a group grants must belong to applications of its tenant.
 */
@Injectable()
export class GroupService {
  constructor(
    private readonly groups: GroupRepository,
    private readonly applications: ApplicationRepository,
    private readonly tenants: TenantDirectory,
  ) {}

  async visible(caller: Caller, id: string): Promise<GroupEntity> {
    const entity = await this.groups.getById(caller.tenantId, id);
    if (entity === null) throw EmptyResponse.notFound;
    return entity;
  }

  private async manyToJson(scope: string | null, entities: GroupEntity[]): Promise<JsonObject[]> {
    const links = await this.groups.roleLinks(
      scope,
      entities.map((entity) => entity.id),
    );
    const roles = await this.applications.rolesByIds([...new Set(links.map((l) => l.roleId))]);
    return entities.map((entity) => {
      const granted = new Set(links.filter((l) => l.groupId === entity.id).map((l) => l.roleId));
      return groupToJson(
        entity,
        roles.filter((role) => granted.has(role.id)),
      );
    });
  }

  private async toJson(entity: GroupEntity): Promise<JsonObject> {
    return (await this.manyToJson(entity.tenantId, [entity]))[0];
  }

  async retrieve(caller: Caller, id: string): Promise<JsonObject> {
    const found = await this.groups.getWithRoles(caller.tenantId, id);
    if (found === null) throw EmptyResponse.notFound;
    return { group: groupToJson(found.group, found.roles) };
  }

  async list(caller: Caller): Promise<JsonObject> {
    const entities = await this.groups.list(caller.tenantId);
    return { groups: await this.manyToJson(caller.tenantId, entities) };
  }

  async search(caller: Caller, criteria: NameSearch): Promise<JsonObject> {
    const scope = searchTenant(caller.tenantId, criteria.tenantId);
    if (scope === undefined) return { groups: [], total: 0 };
    const page = await this.groups.search(scope, criteria.name, criteria);
    return { groups: await this.manyToJson(scope, page.rows), total: page.total };
  }

  async create(caller: Caller, id: string | null, body: unknown): Promise<JsonObject> {
    const tenantId = requireTenant(caller, this.tenants);
    const input = readGroupRequest(body);
    if (id !== null && (await this.groups.getById(null, id)) !== null)
      throw ApiError.field('duplicate', 'groupId');
    const now = Date.now();
    const entity: GroupEntity = {
      id: id ?? newId(),
      tenantId,
      name: input.name,
      data: input.data,
      insertInstant: now,
      lastUpdateInstant: now,
    };
    await this.check(entity, input);
    await this.write(() => this.groups.insert(entity, input.roleIds));
    return { group: await this.toJson(entity) };
  }

  /** PUT replaces the name, data and roles. */
  async update(caller: Caller, id: string, body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'group');
    const entity = await this.visible(caller, id);
    const input = readGroupRequest(body);
    const updated: GroupEntity = {
      ...entity,
      name: input.name,
      data: input.data,
      lastUpdateInstant: Date.now(),
    };
    await this.check(updated, input);
    await this.write(() => this.groups.save(entity.tenantId, updated, input.roleIds));
    return { group: await this.toJson(updated) };
  }

  async patch(caller: Caller, id: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const entity = await this.visible(caller, id);
    const links = await this.groups.roleLinks(entity.tenantId, [entity.id]);
    const current = {
      group: await this.toJson(entity),
      roleIds: links.map((link) => link.roleId),
    };
    return this.update(caller, id, applyPatch(current, body, mode));
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const entity = await this.visible(caller, id);
    await this.groups.delete(entity.tenantId, entity.id);
  }

  private async check(entity: GroupEntity, input: GroupInput): Promise<void> {
    const roles = await this.applications.rolesInTenant(entity.tenantId, input.roleIds);
    if (roles.length !== input.roleIds.length) {
      throw ApiError.field(
        'invalid',
        'roleIds',
        'Each of the [roleIds] must be a role of an application in the tenant of the group.',
      );
    }
    const holder = await this.groups.findByName(entity.tenantId, entity.name);
    if (holder !== null && holder.id !== entity.id) throw ApiError.field('duplicate', 'group.name');
  }

  /** A write that lost a race to another replica reads as the duplicate it is. */
  private async write(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.field('duplicate', 'group.name');
      throw error;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Not, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, pageOf, Paging, whereNameLike } from '../common/search';
import { ApplicationRoleEntity } from '../application/application.entity';
import { UserEntity } from '../user/user.entity';
import { GroupEntity, GroupMemberEntity, GroupRoleEntity } from './group.entity';

/**
 * Groups, the roles they grant and their members. `scope` is the caller's tenant, or
 * null for a global caller; a member belongs to the tenant of its group.
 */
@Injectable()
export class GroupRepository {
  private readonly groups: Repository<GroupEntity>;
  private readonly members: Repository<GroupMemberEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.groups = dataSource.getRepository(GroupEntity);
    this.members = dataSource.getRepository(GroupMemberEntity);
  }

  getById(scope: string | null, id: string): Promise<GroupEntity | null> {
    return this.groups.findOneBy(scope === null ? { id } : { id, tenantId: scope });
  }

  /** The group and the roles it grants, in one query. */
  async getWithRoles(
    scope: string | null,
    id: string,
  ): Promise<{ group: GroupEntity; roles: ApplicationRoleEntity[] } | null> {
    const query = this.groups
      .createQueryBuilder('g')
      .leftJoinAndMapMany('g.links', GroupRoleEntity, 'l', 'l.groupId = g.id')
      .leftJoinAndMapOne('l.role', ApplicationRoleEntity, 'r', 'r.id = l.roleId')
      .where('g.id = :id', { id });
    if (scope !== null) query.andWhere('g.tenantId = :scope', { scope });
    const found = (await query.getOne()) as
      | (GroupEntity & { links: (GroupRoleEntity & { role: ApplicationRoleEntity | null })[] })
      | null;
    if (found === null) return null;
    const { links, ...group } = found;
    return { group, roles: links.flatMap(({ role }) => (role === null ? [] : [role])) };
  }

  getManyByIds(scope: string | null, ids: string[]): Promise<GroupEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.groups.findBy(scope === null ? { id: In(ids) } : { id: In(ids), tenantId: scope });
  }

  /** Case-insensitive: the column's collation decides. */
  findByName(tenantId: string, name: string): Promise<GroupEntity | null> {
    return this.groups.findOneBy({ tenantId, name });
  }

  list(scope: string | null): Promise<GroupEntity[]> {
    return this.groups.find({
      where: scope === null ? {} : { tenantId: scope },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  async search(
    scope: string | null,
    pattern: string | null,
    paging: Paging,
  ): Promise<Page<GroupEntity>> {
    const query = this.groups.createQueryBuilder('g');
    if (scope !== null) query.andWhere('g.tenantId = :scope', { scope });
    whereNameLike(query, 'g.name', pattern);
    return pageOf(query.orderBy('g.name', 'ASC').addOrderBy('g.id', 'ASC'), paging);
  }

  /** Which roles each group grants. */
  roleLinks(scope: string | null, groupIds: string[]): Promise<GroupRoleEntity[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    const query = this.dataSource
      .getRepository(GroupRoleEntity)
      .createQueryBuilder('gr')
      .innerJoin(GroupEntity, 'g', 'g.id = gr.groupId')
      .where('gr.groupId IN (:...groupIds)', { groupIds });
    if (scope !== null) query.andWhere('g.tenantId = :scope', { scope });
    return query.getMany();
  }

  async insert(group: GroupEntity, roleIds: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(GroupEntity).insert(group as QueryDeepPartialEntity<GroupEntity>);
      await this.linkRoles(manager, group.id, roleIds);
    });
  }

  /** Replaces the group and the roles it grants. */
  async save(tenantId: string, group: GroupEntity, roleIds: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(GroupEntity)
        .update({ id: group.id, tenantId }, group as QueryDeepPartialEntity<GroupEntity>);
      await manager.getRepository(GroupRoleEntity).delete({ groupId: group.id });
      await this.linkRoles(manager, group.id, roleIds);
    });
  }

  /** The database cascades to its members and role links. */
  async delete(tenantId: string, id: string): Promise<void> {
    await this.groups.delete({ id, tenantId });
  }

  private async linkRoles(manager: EntityManager, groupId: string, roleIds: string[]) {
    if (roleIds.length === 0) return;
    await manager
      .getRepository(GroupRoleEntity)
      .insert(roleIds.map((roleId) => ({ groupId, roleId })));
  }

  /** The users among `userIds` that exist in the tenant. */
  async usersInTenant(tenantId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const users = await this.dataSource
      .getRepository(UserEntity)
      .find({ select: { id: true }, where: { tenantId, id: In(userIds) } });
    return new Set(users.map((user) => user.id));
  }

  membersByIds(scope: string | null, ids: string[]): Promise<GroupMemberEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.scopedMembers(scope).andWhere('m.id IN (:...ids)', { ids }).getMany();
  }

  membersOf(tenantId: string, groupId: string, userIds?: string[]): Promise<GroupMemberEntity[]> {
    const query = this.scopedMembers(tenantId).andWhere('m.groupId = :groupId', { groupId });
    if (userIds !== undefined) {
      if (userIds.length === 0) return Promise.resolve([]);
      query.andWhere('m.userId IN (:...userIds)', { userIds });
    }
    return query.getMany();
  }

  /**
   * Writes the memberships of one group: new ones inserted, existing ones given the new
   * data; with `replace`, members not listed are removed.
   */
  async writeMembers(
    tenantId: string,
    groupId: string,
    wanted: GroupMemberEntity[],
    replace: boolean,
  ): Promise<GroupMemberEntity[]> {
    const existing = new Map(
      (await this.membersOf(tenantId, groupId)).map((member) => [member.userId, member]),
    );
    const written = wanted.map((member) => {
      const current = existing.get(member.userId);
      return current === undefined ? member : { ...current, data: member.data };
    });
    await this.dataSource.transaction(async (manager) => {
      const members = manager.getRepository(GroupMemberEntity);
      if (replace) {
        const kept = written.map((member) => member.userId);
        await members.delete(kept.length === 0 ? { groupId } : { groupId, userId: Not(In(kept)) });
      }
      // save() decides insert or update by primary key: kept members keep theirs.
      await members.save(written);
    });
    return written;
  }

  /** Memberships of a user being created, in the transaction that inserts it. */
  async insertMembers(members: GroupMemberEntity[], manager: EntityManager): Promise<void> {
    if (members.length === 0) return;
    await manager
      .getRepository(GroupMemberEntity)
      .insert(members as QueryDeepPartialEntity<GroupMemberEntity>[]);
  }

  /** `ids` were found through `membersByIds` with the caller's scope. */
  async deleteMembers(scope: string | null, ids: string[]): Promise<void> {
    const found = await this.membersByIds(scope, ids);
    if (found.length === 0) return;
    await this.members.delete({ id: In(found.map((member) => member.id)) });
  }

  searchMembers(
    scope: string | null,
    criteria: { groupId: string | null; userId: string | null },
    paging: Paging,
  ): Promise<Page<GroupMemberEntity>> {
    const query = this.scopedMembers(scope);
    if (criteria.groupId !== null)
      query.andWhere('m.groupId = :groupId', { groupId: criteria.groupId });
    if (criteria.userId !== null) query.andWhere('m.userId = :userId', { userId: criteria.userId });
    return pageOf(query.orderBy('m.insertInstant', 'ASC').addOrderBy('m.id', 'ASC'), paging);
  }

  private scopedMembers(scope: string | null): SelectQueryBuilder<GroupMemberEntity> {
    const query = this.members
      .createQueryBuilder('m')
      .innerJoin(GroupEntity, 'g', 'g.id = m.groupId');
    if (scope !== null) query.andWhere('g.tenantId = :scope', { scope });
    return query;
  }
}

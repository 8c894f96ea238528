import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, pageOf } from '../common/search';
import { GroupEntity, GroupMemberEntity } from '../group/group.entity';
import { UserEntity } from './user.entity';
import type { LoginIdType } from './user.lookup';
import { UserSearch } from './user.search';

const MATCHED = ['firstName', 'lastName', 'fullName', 'email', 'username'] as const;

/**
 * Users. `scope` is the tenant a read is confined to, or null for a global caller
 * asking by id; lookups by email or username always name their tenant.
 */
@Injectable()
export class UserRepository {
  private readonly users: Repository<UserEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  getById(scope: string | null, id: string): Promise<UserEntity | null> {
    return this.users.findOneBy(scope === null ? { id } : { id, tenantId: scope });
  }

  /** A login: only the instant changes, so a concurrent profile update is not overwritten. */
  async recordLogin(tenantId: string, id: string, instant: number): Promise<void> {
    await this.users.update({ tenantId, id }, { lastLoginInstant: instant });
  }

  /** Any tenant's user with this id: a chosen id must be new everywhere. */
  async idExists(id: string): Promise<boolean> {
    return (await this.users.countBy({ id })) > 0;
  }

  findByEmail(tenantId: string, email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ tenantId, email: email.toLowerCase() });
  }

  /** Case-insensitive: the column's collation decides. */
  findByUsername(tenantId: string, username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ tenantId, username });
  }

  /**
   * The users a login id names, by email then username (the first type that matches
   * anyone wins); `scope` null looks in every tenant, so that an ambiguous id is seen.
   */
  async findByLoginId(
    scope: string | null,
    loginId: string,
    types: readonly LoginIdType[],
  ): Promise<UserEntity[]> {
    for (const type of types) {
      const value = type === 'email' ? loginId.toLowerCase() : loginId;
      const where = scope === null ? { [type]: value } : { [type]: value, tenantId: scope };
      const found = await this.users.find({ where, take: 2 });
      if (found.length > 0) return found;
    }
    return [];
  }

  /** The user whose email or username (tried in the order given) is `loginId`, in one tenant. */
  async findOneByLoginId(
    tenantId: string,
    loginId: string,
    types: readonly LoginIdType[],
  ): Promise<UserEntity | null> {
    return (await this.findByLoginId(tenantId, loginId, types))[0] ?? null;
  }

  async search(scope: string | null, criteria: UserSearch): Promise<Page<UserEntity>> {
    const query = this.users.createQueryBuilder('u');
    if (scope !== null) query.andWhere('u.tenantId = :scope', { scope });
    if (criteria.ids !== null) {
      if (criteria.ids.length === 0) return { rows: [], total: 0 };
      query.andWhere('u.id IN (:...ids)', { ids: criteria.ids });
    } else if (criteria.pattern !== null) {
      // The escape character is a parameter: a backslash literal is a syntax error in MySQL.
      const parameters = { pattern: criteria.pattern, escape: '\\' };
      query.andWhere(
        new Brackets((any) => {
          for (const column of MATCHED)
            any.orWhere(`u.${column} LIKE :pattern ESCAPE :escape`, parameters);
        }),
      );
    }
    for (const { property, order } of criteria.sort) query.addOrderBy(`u.${property}`, order);
    query.addOrderBy('u.insertInstant', 'ASC').addOrderBy('u.id', 'ASC');
    if (criteria.ids === null) return pageOf(query, criteria);
    const rows = await query.getMany();
    return { rows, total: rows.length };
  }

  /** The tenant's users, oldest first, at most `limit` of them (SCIM filters what has no index). */
  listInTenant(tenantId: string, limit: number): Promise<UserEntity[]> {
    return this.users.find({
      where: { tenantId },
      order: { insertInstant: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  /** Group memberships of these users, through groups of the scope's tenant. */
  membershipsOf(scope: string | null, userIds: string[]): Promise<GroupMemberEntity[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    const query = this.dataSource
      .getRepository(GroupMemberEntity)
      .createQueryBuilder('m')
      .innerJoin(GroupEntity, 'g', 'g.id = m.groupId')
      .where('m.userId IN (:...userIds)', { userIds });
    if (scope !== null) query.andWhere('g.tenantId = :scope', { scope });
    return query.orderBy('m.insertInstant', 'ASC').addOrderBy('m.id', 'ASC').getMany();
  }

  async insert(
    entity: UserEntity,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(UserEntity).insert(entity as QueryDeepPartialEntity<UserEntity>);
  }

  async save(entity: UserEntity, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(UserEntity).save(entity);
  }

  /**
   * A new password hash, and nothing else of the profile: a change of password also ends
   * any requirement to change it.
   */
  async setPassword(
    manager: EntityManager,
    entity: UserEntity,
    passwordHash: string,
    now: number,
  ): Promise<void> {
    const details = { ...entity.details };
    delete details.passwordChangeRequired;
    const changes = {
      passwordHash,
      passwordLastUpdateInstant: now,
      lastUpdateInstant: now,
      details,
    };
    await manager
      .getRepository(UserEntity)
      .update(
        { tenantId: entity.tenantId, id: entity.id },
        changes as QueryDeepPartialEntity<UserEntity>,
      );
  }

  /** Removes the user; the database cascades to its registrations and memberships. */
  async delete(tenantId: string, id: string): Promise<void> {
    await this.users.delete({ tenantId, id });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

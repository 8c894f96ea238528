import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, pageOf, Paging, whereNameLike } from '../common/search';
import { EntityGrantRow, EntityRow, EntityTypePermissionRow, EntityTypeRow } from './entity.entity';

export type EntityTypeOrder = 'id' | 'insertInstant' | 'lastUpdateInstant' | 'name';

const ORDER_COLUMNS: Readonly<Record<EntityTypeOrder, string>> = {
  id: 't.id',
  insertInstant: 't.insertInstant',
  lastUpdateInstant: 't.lastUpdateInstant',
  name: 't.name',
};

export interface EntityTypeSearch extends Paging {
  name: string | null;
  orderBy: { field: EntityTypeOrder; direction: 'ASC' | 'DESC' };
}

/** Entity types (global) and their permissions. */
@Injectable()
export class EntityTypeRepository {
  private readonly types: Repository<EntityTypeRow>;
  private readonly permissions: Repository<EntityTypePermissionRow>;

  constructor(private readonly dataSource: DataSource) {
    this.types = dataSource.getRepository(EntityTypeRow);
    this.permissions = dataSource.getRepository(EntityTypePermissionRow);
  }

  /** The type with its `jwtConfiguration` columns (the token endpoint's key and lifetime). */
  findById(id: string): Promise<EntityTypeRow | null> {
    return this.types.findOneBy({ id });
  }

  findManyByIds(ids: string[]): Promise<EntityTypeRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.types.findBy({ id: In(ids) });
  }

  /** Case-insensitive: the column's collation decides. */
  findByName(name: string): Promise<EntityTypeRow | null> {
    return this.types.findOneBy({ name });
  }

  all(): Promise<EntityTypeRow[]> {
    return this.types.find({ order: { name: 'ASC', id: 'ASC' } });
  }

  search(criteria: EntityTypeSearch): Promise<Page<EntityTypeRow>> {
    const query = whereNameLike(this.types.createQueryBuilder('t'), 't.name', criteria.name);
    const { field, direction } = criteria.orderBy;
    return pageOf(
      query.orderBy(ORDER_COLUMNS[field], direction).addOrderBy('t.id', 'ASC'),
      criteria,
    );
  }

  /** Types whose `jwtConfiguration` names the signing key. */
  mentioning(keyId: string): Promise<EntityTypeRow[]> {
    return this.types.findBy({ jwtAccessTokenKeyId: keyId });
  }

  permissionsOf(typeIds: string[]): Promise<EntityTypePermissionRow[]> {
    if (typeIds.length === 0) return Promise.resolve([]);
    return this.permissions.find({
      where: { entityTypeId: In(typeIds) },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  findPermission(typeId: string, id: string): Promise<EntityTypePermissionRow | null> {
    return this.permissions.findOneBy({ entityTypeId: typeId, id });
  }

  findPermissionByName(typeId: string, name: string): Promise<EntityTypePermissionRow | null> {
    return this.permissions.findOneBy({ entityTypeId: typeId, name });
  }

  /** A permission id is a global key: a chosen one may already be another type's. */
  permissionIdTaken(id: string): Promise<boolean> {
    return this.permissions.existsBy({ id });
  }

  async hasEntities(typeId: string): Promise<boolean> {
    return this.dataSource.getRepository(EntityRow).existsBy({ typeId });
  }

  async insert(type: EntityTypeRow, permissions: EntityTypePermissionRow[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(EntityTypeRow)
        .insert(type as QueryDeepPartialEntity<EntityTypeRow>);
      if (permissions.length > 0)
        await manager
          .getRepository(EntityTypePermissionRow)
          .insert(permissions as QueryDeepPartialEntity<EntityTypePermissionRow>[]);
    });
  }

  async update(type: EntityTypeRow): Promise<void> {
    const { id, ...columns } = type;
    await this.types.update({ id }, columns as QueryDeepPartialEntity<EntityTypeRow>);
  }

  /** The database cascades to its permissions; entities of the type are refused first. */
  async delete(id: string): Promise<void> {
    await this.types.delete({ id });
  }

  async insertPermission(permission: EntityTypePermissionRow): Promise<void> {
    await this.permissions.insert(permission as QueryDeepPartialEntity<EntityTypePermissionRow>);
  }

  async updatePermission(permission: EntityTypePermissionRow): Promise<void> {
    const { id, entityTypeId, ...columns } = permission;
    await this.permissions.update(
      { id, entityTypeId },
      columns as QueryDeepPartialEntity<EntityTypePermissionRow>,
    );
  }

  /**
   * Deletes the permission and takes its name out of every grant given by an entity of
   * the type, in one transaction: a grant never names a permission its type lacks.
   */
  async deletePermission(permission: EntityTypePermissionRow): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(EntityTypePermissionRow)
        .delete({ id: permission.id, entityTypeId: permission.entityTypeId });
      await this.stripFromGrants(manager, permission.entityTypeId, permission.name);
    });
  }

  private async stripFromGrants(manager: EntityManager, typeId: string, name: string) {
    const grants = manager.getRepository(EntityGrantRow);
    const holding = await grants
      .createQueryBuilder('g')
      .innerJoin(EntityRow, 'e', 'e.id = g.entityId')
      .where('e.typeId = :typeId', { typeId })
      .getMany();
    for (const grant of holding.filter((row) => row.permissions.includes(name))) {
      await grants.update(
        { id: grant.id },
        { permissions: grant.permissions.filter((held) => held !== name) },
      );
    }
  }
}

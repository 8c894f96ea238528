import { Injectable } from '@nestjs/common';
import { DataSource, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, pageOf, Paging, whereNameLike } from '../common/search';
import { EntityRow } from './entity.entity';

export type EntitySortField = 'id' | 'insertInstant' | 'lastUpdateInstant' | 'name';

export interface EntitySort {
  field: EntitySortField;
  direction: 'ASC' | 'DESC';
}

const SORT_COLUMNS: Readonly<Record<EntitySortField, string>> = {
  id: 'e.id',
  insertInstant: 'e.insertInstant',
  lastUpdateInstant: 'e.lastUpdateInstant',
  name: 'e.name',
};

/**
 * Entities. `scope` is the caller's tenant, or null for a global caller. `findById` and
 * `findByClientId` are global: the token endpoint knows no tenant before it finds the client.
 */
@Injectable()
export class EntityRepository {
  private readonly entities: Repository<EntityRow>;

  constructor(dataSource: DataSource) {
    this.entities = dataSource.getRepository(EntityRow);
  }

  findById(id: string): Promise<EntityRow | null> {
    return this.entities.findOneBy({ id });
  }

  findByClientId(clientId: string): Promise<EntityRow | null> {
    return this.entities.findOneBy({ clientId });
  }

  getById(scope: string | null, id: string): Promise<EntityRow | null> {
    return this.entities.findOneBy(scope === null ? { id } : { id, tenantId: scope });
  }

  getManyByIds(scope: string | null, ids: string[]): Promise<EntityRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.entities.find({
      where: scope === null ? { id: In(ids) } : { id: In(ids), tenantId: scope },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  search(
    scope: string | null,
    pattern: string | null,
    sort: EntitySort[],
    paging: Paging,
  ): Promise<Page<EntityRow>> {
    const query = this.entities.createQueryBuilder('e');
    if (scope !== null) query.andWhere('e.tenantId = :scope', { scope });
    whereNameLike(query, 'e.name', pattern);
    const order = sort.length > 0 ? sort : [{ field: 'name', direction: 'ASC' } as const];
    for (const { field, direction } of order) query.addOrderBy(SORT_COLUMNS[field], direction);
    return pageOf(query.addOrderBy('e.id', 'ASC'), paging);
  }

  async insert(entity: EntityRow): Promise<void> {
    await this.entities.insert(entity as QueryDeepPartialEntity<EntityRow>);
  }

  async update(tenantId: string, entity: EntityRow): Promise<void> {
    const { id, ...columns } = entity;
    await this.entities.update({ id, tenantId }, columns as QueryDeepPartialEntity<EntityRow>);
  }

  /** The database cascades to the grants it gave and received. */
  async delete(tenantId: string, id: string): Promise<void> {
    await this.entities.delete({ id, tenantId });
  }
}

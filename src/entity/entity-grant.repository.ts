import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, pageOf, Paging, whereNameLike } from '../common/search';
import { EntityGrantRow, EntityRow } from './entity.entity';

/** Who a grant is for: a recipient entity or a user, never both. */
export type Grantee = { recipientEntityId: string } | { userId: string };

export interface GrantSearch extends Paging {
  entityId: string | null;
  /** A LIKE pattern on the target entity's name. */
  name: string | null;
  userId: string | null;
  recipientEntityId: string | null;
}

/** Grants, found through their target entity, whose tenant `scope` (when not null) must be. */
@Injectable()
export class EntityGrantRepository {
  private readonly grants: Repository<EntityGrantRow>;

  constructor(dataSource: DataSource) {
    this.grants = dataSource.getRepository(EntityGrantRow);
  }

  /** What the target granted the recipient entity; null when it granted nothing. */
  async permissionsGranted(
    targetEntityId: string,
    recipientEntityId: string,
  ): Promise<string[] | null> {
    const grant = await this.grants.findOneBy({ entityId: targetEntityId, recipientEntityId });
    return grant?.permissions ?? null;
  }

  find(entityId: string, grantee: Grantee): Promise<EntityGrantRow | null> {
    return this.grants.findOneBy({ entityId, ...grantee });
  }

  listForEntity(entityId: string): Promise<EntityGrantRow[]> {
    return this.grants.find({ where: { entityId }, order: { insertInstant: 'ASC', id: 'ASC' } });
  }

  search(scope: string | null, criteria: GrantSearch): Promise<Page<EntityGrantRow>> {
    const query = this.grants
      .createQueryBuilder('g')
      .innerJoin(EntityRow, 'e', 'e.id = g.entityId');
    if (scope !== null) query.andWhere('e.tenantId = :scope', { scope });
    if (criteria.entityId !== null)
      query.andWhere('g.entityId = :entityId', { entityId: criteria.entityId });
    if (criteria.userId !== null) query.andWhere('g.userId = :userId', { userId: criteria.userId });
    if (criteria.recipientEntityId !== null)
      query.andWhere('g.recipientEntityId = :recipient', {
        recipient: criteria.recipientEntityId,
      });
    whereNameLike(query, 'e.name', criteria.name);
    return pageOf(query.orderBy('g.insertInstant', 'ASC').addOrderBy('g.id', 'ASC'), criteria);
  }

  async insert(grant: EntityGrantRow): Promise<void> {
    await this.grants.insert(grant as QueryDeepPartialEntity<EntityGrantRow>);
  }

  async update(grant: EntityGrantRow): Promise<void> {
    await this.grants.update({ id: grant.id, entityId: grant.entityId }, {
      permissions: grant.permissions,
      data: grant.data,
      lastUpdateInstant: grant.lastUpdateInstant,
    } as QueryDeepPartialEntity<EntityGrantRow>);
  }

  async delete(grant: EntityGrantRow): Promise<void> {
    await this.grants.delete({ id: grant.id, entityId: grant.entityId });
  }
}

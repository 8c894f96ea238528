import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, pageOf, whereNameLike } from '../common/search';
import { uiIpAclPattern } from '../ip-acl/ip-acl.reference';
import { TenantEntity } from './tenant.entity';

@Injectable()
export class TenantRepository {
  private readonly tenants: Repository<TenantEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.tenants = dataSource.getRepository(TenantEntity);
  }

  async namesUiIpAcl(ipAccessControlListId: string): Promise<boolean> {
    const count = await this.tenants
      .createQueryBuilder('tenant')
      .where('tenant.configuration LIKE :pattern', {
        pattern: uiIpAclPattern(ipAccessControlListId),
      })
      .getCount();
    return count > 0;
  }

  getById(id: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ id });
  }

  getDefault(): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ isDefault: true });
  }

  /** Tenants whose configuration holds the id anywhere; the caller checks where. */
  mentioning(id: string): Promise<TenantEntity[]> {
    return this.tenants
      .createQueryBuilder('t')
      .where('t.configuration LIKE :pattern', { pattern: `%${id}%` })
      .getMany();
  }

  findByName(name: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ name });
  }

  list(scope: string | null): Promise<TenantEntity[]> {
    return this.tenants.find({
      where: scope === null ? {} : { id: scope },
      order: { insertInstant: 'ASC', id: 'ASC' },
    });
  }

  async ids(): Promise<string[]> {
    const rows = await this.tenants.find({ select: { id: true } });
    return rows.map((row) => row.id);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.tenants.countBy({ id })) > 0;
  }

  search(
    pattern: string | null,
    startRow: number,
    numberOfResults: number,
  ): Promise<Page<TenantEntity>> {
    const query = whereNameLike(this.tenants.createQueryBuilder('t'), 't.name', pattern);
    return pageOf(query.orderBy('t.name', 'ASC').addOrderBy('t.id', 'ASC'), {
      startRow,
      numberOfResults,
    });
  }

  async insert(entity: TenantEntity): Promise<void> {
    await this.tenants.insert(entity as QueryDeepPartialEntity<TenantEntity>);
  }

  async save(entity: TenantEntity): Promise<void> {
    await this.tenants.save(entity);
  }

  /** Deletes the tenant; the database cascades to everything it owns. */
  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(TenantEntity).delete({ id });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

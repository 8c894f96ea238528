import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, pageOf, Paging, whereNameLike } from '../common/search';
import { IpAclEntity } from './ip-acl.entity';

@Injectable()
export class IpAclRepository {
  private readonly lists: Repository<IpAclEntity>;

  constructor(dataSource: DataSource) {
    this.lists = dataSource.getRepository(IpAclEntity);
  }

  getById(id: string): Promise<IpAclEntity | null> {
    return this.lists.findOneBy({ id });
  }

  findByName(name: string): Promise<IpAclEntity | null> {
    return this.lists.findOneBy({ name });
  }

  async exists(id: string): Promise<boolean> {
    return (await this.lists.countBy({ id })) > 0;
  }

  all(): Promise<IpAclEntity[]> {
    return this.lists.find();
  }

  search(pattern: string | null, paging: Paging): Promise<Page<IpAclEntity>> {
    const query = whereNameLike(this.lists.createQueryBuilder('l'), 'l.name', pattern);
    return pageOf(query.orderBy('l.name', 'ASC').addOrderBy('l.id', 'ASC'), paging);
  }

  async insert(entity: IpAclEntity): Promise<void> {
    await this.lists.insert(entity as QueryDeepPartialEntity<IpAclEntity>);
  }

  async save(entity: IpAclEntity): Promise<void> {
    await this.lists.save(entity);
  }

  async delete(id: string): Promise<void> {
    await this.lists.delete({ id });
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { Page, pageOf, whereNameLike } from '../common/search';
import { SigningKeyEntity } from './signing-key.entity';
import type { KeySearch } from './signing-key.dto';

const ORDER_COLUMNS: Readonly<Record<KeySearch['orderBy']['field'], string>> = {
  algorithm: 'k.algorithm',
  expiration: 'k.expirationInstant',
  id: 'k.id',
  insertInstant: 'k.insertInstant',
  name: 'k.name',
  type: 'k.type',
};

@Injectable()
export class SigningKeyRepository {
  private readonly keys: Repository<SigningKeyEntity>;

  constructor(dataSource: DataSource) {
    this.keys = dataSource.getRepository(SigningKeyEntity);
  }

  getById(id: string): Promise<SigningKeyEntity | null> {
    return this.keys.findOneBy({ id });
  }

  findByName(name: string): Promise<SigningKeyEntity | null> {
    return this.keys.findOneBy({ name });
  }

  findByKid(kid: string): Promise<SigningKeyEntity | null> {
    return this.keys.findOneBy({ kid });
  }

  all(): Promise<SigningKeyEntity[]> {
    return this.keys.find({ order: { name: 'ASC', id: 'ASC' } });
  }

  search(criteria: KeySearch): Promise<Page<SigningKeyEntity>> {
    let query = whereNameLike(this.keys.createQueryBuilder('k'), 'k.name', criteria.name);
    if (criteria.algorithm !== null)
      query = query.andWhere('k.algorithm = :algorithm', { algorithm: criteria.algorithm });
    if (criteria.type !== null) query = query.andWhere('k.type = :type', { type: criteria.type });
    const { field, direction } = criteria.orderBy;
    // Nulls first in either dialect when ascending, as FusionAuth documents.
    const ordered = query
      .orderBy(`${ORDER_COLUMNS[field]} IS NULL`, direction === 'ASC' ? 'DESC' : 'ASC')
      .addOrderBy(ORDER_COLUMNS[field], direction)
      .addOrderBy('k.id', 'ASC');
    return pageOf(ordered, criteria);
  }

  async insert(entity: SigningKeyEntity): Promise<void> {
    await this.keys.insert(entity);
  }

  async rename(id: string, name: string, lastUpdateInstant: number): Promise<void> {
    await this.keys.update({ id }, { name, lastUpdateInstant });
  }

  async delete(id: string): Promise<void> {
    await this.keys.delete({ id });
  }
}

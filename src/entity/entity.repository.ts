import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, pageOf, Paging, whereNameLike } from '../common/search';
import { SealingOutcome, sealStored, ValueCipher } from '../encryption/value-cipher';
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
  private readonly logger = new Logger('EntityRepository');

  constructor(
    dataSource: DataSource,
    private readonly cipher: ValueCipher,
  ) {
    this.entities = dataSource.getRepository(EntityRow);
  }

  /**
   * A row as the service sees it: the client secret opened. FusionAuth returns it on
   * retrieve, so it is kept recoverably, sealed as retrievable API keys are (in plaintext
   * only while no secret is configured). One that no configured secret opens reads as ''.
   */
  private opened(row: EntityRow): EntityRow;
  private opened(row: EntityRow | null): EntityRow | null;
  private opened(row: EntityRow | null): EntityRow | null {
    if (row === null || !ValueCipher.looksSealed(row.clientSecret)) return row;
    const plain = this.cipher.open(row.clientSecret, row.id);
    if (plain === null)
      this.logger.warn(
        `the client secret of entity ${row.id} does not open with the configured secret`,
      );
    row.clientSecret = plain ?? '';
    return row;
  }

  private sealed(row: EntityRow): EntityRow {
    if (!this.cipher.available) return row;
    return { ...row, clientSecret: this.cipher.seal(row.clientSecret, row.id) };
  }

  /** Seals client secrets stored in plaintext or under a previous secret (`sealStored`). */
  async sealStoredSecrets(): Promise<SealingOutcome> {
    const rows = await this.entities
      .createQueryBuilder('e')
      .select(['e.id', 'e.clientSecret'])
      .getMany();
    return sealStored(
      this.cipher,
      rows.map((row) => ({ id: row.id, value: row.clientSecret })),
      async (id, stored, sealed) =>
        ((await this.entities.update({ id, clientSecret: stored }, { clientSecret: sealed }))
          .affected ?? 0) > 0,
      (id) =>
        this.logger.warn(
          `the client secret of entity ${id} is sealed by an unknown secret; left as it is`,
        ),
    );
  }

  async findById(id: string): Promise<EntityRow | null> {
    return this.opened(await this.entities.findOneBy({ id }));
  }

  async findByClientId(clientId: string): Promise<EntityRow | null> {
    return this.opened(await this.entities.findOneBy({ clientId }));
  }

  async getById(scope: string | null, id: string): Promise<EntityRow | null> {
    return this.opened(
      await this.entities.findOneBy(scope === null ? { id } : { id, tenantId: scope }),
    );
  }

  async getManyByIds(scope: string | null, ids: string[]): Promise<EntityRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.entities.find({
      where: scope === null ? { id: In(ids) } : { id: In(ids), tenantId: scope },
      order: { name: 'ASC', id: 'ASC' },
    });
    return rows.map((row) => this.opened(row));
  }

  async search(
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
    const page = await pageOf(query.addOrderBy('e.id', 'ASC'), paging);
    return { ...page, rows: page.rows.map((row) => this.opened(row)) };
  }

  async insert(entity: EntityRow): Promise<void> {
    await this.entities.insert(this.sealed(entity) as QueryDeepPartialEntity<EntityRow>);
  }

  async update(tenantId: string, entity: EntityRow): Promise<void> {
    const { id, ...columns } = this.sealed(entity);
    await this.entities.update({ id, tenantId }, columns as QueryDeepPartialEntity<EntityRow>);
  }

  /** The database cascades to the grants it gave and received. */
  async delete(tenantId: string, id: string): Promise<void> {
    await this.entities.delete({ id, tenantId });
  }
}

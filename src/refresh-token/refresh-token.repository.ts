import { Injectable } from '@nestjs/common';
import { DataSource, FindOptionsWhere, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { RefreshTokenEntity } from './refresh-token.entity';

/** Which tokens a revocation names; `tenantId` null for a global caller. */
export interface TokenSelection {
  tenantId: string | null;
  userId?: string;
  applicationId?: string;
  id?: string;
}

function where(selection: TokenSelection): FindOptionsWhere<RefreshTokenEntity> {
  const clause: FindOptionsWhere<RefreshTokenEntity> = {};
  if (selection.tenantId !== null) clause.tenantId = selection.tenantId;
  if (selection.userId !== undefined) clause.userId = selection.userId;
  if (selection.applicationId !== undefined) clause.applicationId = selection.applicationId;
  if (selection.id !== undefined) clause.id = selection.id;
  return clause;
}

@Injectable()
export class RefreshTokenRepository {
  private readonly tokens: Repository<RefreshTokenEntity>;

  constructor(dataSource: DataSource) {
    this.tokens = dataSource.getRepository(RefreshTokenEntity);
  }

  findByDigest(digest: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOneBy({ digest });
  }

  getById(tenantId: string | null, id: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOneBy(where({ tenantId, id }));
  }

  select(selection: TokenSelection): Promise<RefreshTokenEntity[]> {
    return this.tokens.find({
      where: where(selection),
      order: { insertInstant: 'ASC', id: 'ASC' },
    });
  }

  async insert(entity: RefreshTokenEntity): Promise<void> {
    await this.tokens.insert(entity as QueryDeepPartialEntity<RefreshTokenEntity>);
  }

  async extend(id: string, expirationInstant: number): Promise<void> {
    await this.tokens.update({ id }, { expirationInstant });
  }

  /**
   * Replaces the token's value, if it is still `digest`: of two racing uses, only the one
   * whose update matched succeeds (single use). The session (`id`) stays.
   */
  async rotate(
    id: string,
    digest: string,
    next: { digest: string; expirationInstant: number },
  ): Promise<boolean> {
    const result = await this.tokens.update({ id, digest }, next);
    return (result.affected ?? 0) > 0;
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.tokens.delete(ids);
  }
}

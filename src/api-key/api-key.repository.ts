import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { permissionsFromJson } from '../auth/permissions';
import { ApiKeyRecord, ApiKeySource } from '../key-cache/api-key.record';
import { ApiKeyEntity } from './api-key.entity';

export function toRecord(entity: ApiKeyEntity): ApiKeyRecord {
  return Object.freeze({
    id: entity.id,
    tenantId: entity.tenantId,
    keyManager: entity.keyManager,
    permissions: permissionsFromJson(entity.permissions),
    expirationInstant: entity.expirationInstant,
    ipAccessControlListId: entity.ipAccessControlListId,
  });
}

/**
 * API keys. `scope` is the tenant the caller is confined to, or null for a global
 * caller: a key of another tenant is never returned to a scoped caller.
 */
@Injectable()
export class ApiKeyRepository extends ApiKeySource {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(private readonly dataSource: DataSource) {
    super();
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  async findRecordsByDigests(digests: readonly string[]): Promise<Map<string, ApiKeyRecord>> {
    const entities = await this.keys.findBy({ keyDigest: In([...digests]) });
    // Keyed by the stored digest: a digest is found only by itself, whatever the collation.
    return new Map(entities.map((entity) => [entity.keyDigest, toRecord(entity)]));
  }

  getById(scope: string | null, id: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy(scope === null ? { id } : { id, tenantId: scope });
  }

  /** Names are unique per tenant; the global keys (no tenant) form one more namespace. */
  findByName(tenantId: string | null, name: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ nameScope: tenantId ?? '', name });
  }

  async digestExists(digest: string): Promise<boolean> {
    return (await this.keys.countBy({ keyDigest: digest })) > 0;
  }

  list(scope: string | null): Promise<ApiKeyEntity[]> {
    return this.keys.find({
      where: scope === null ? {} : { tenantId: scope },
      order: { insertInstant: 'ASC', id: 'ASC' },
    });
  }

  listByTenant(
    tenantId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ApiKeyEntity[]> {
    return manager.getRepository(ApiKeyEntity).findBy({ tenantId });
  }

  async boundToIpAcl(ipAccessControlListId: string): Promise<ApiKeyRecord[]> {
    return (await this.keys.findBy({ ipAccessControlListId })).map(toRecord);
  }

  async usesIpAcl(ipAccessControlListId: string): Promise<boolean> {
    return (await this.keys.countBy({ ipAccessControlListId })) > 0;
  }

  count(): Promise<number> {
    return this.keys.count();
  }

  async insert(entity: ApiKeyEntity): Promise<void> {
    await this.keys.insert(entity as QueryDeepPartialEntity<ApiKeyEntity>);
  }

  async save(entity: ApiKeyEntity): Promise<void> {
    await this.keys.save(entity);
  }

  async delete(id: string): Promise<void> {
    await this.keys.delete({ id });
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, In, MoreThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { permissionsFromJson } from '../auth/permissions';
import { SealingOutcome, sealStored, ValueCipher } from '../encryption/value-cipher';
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
    rateLimit: entity.rateLimit === null ? null : Object.freeze({ ...entity.rateLimit }),
  });
}

/** Keys whose last use one statement writes (well under any driver's parameter limit). */
const LAST_USE_BATCH = 500;

/**
 * API keys. `scope` is the tenant the caller is confined to, or null for a global
 * caller: a key of another tenant is never returned to a scoped caller.
 */
@Injectable()
export class ApiKeyRepository extends ApiKeySource {
  private readonly keys: Repository<ApiKeyEntity>;

  private readonly logger = new Logger('ApiKeyRepository');

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: ValueCipher,
  ) {
    super();
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  /**
   * A row as the service sees it: a retrievable key's value opened. A value sealed by a
   * secret this replica does not hold reads as no value (never an error); a value stored
   * before encryption reads as it is until it is sealed.
   */
  private opened(entity: ApiKeyEntity): ApiKeyEntity;
  private opened(entity: ApiKeyEntity | null): ApiKeyEntity | null;
  private opened(entity: ApiKeyEntity | null): ApiKeyEntity | null {
    if (entity === null || entity.keyValue === null) return entity;
    const plain = this.cipher.open(entity.keyValue, entity.id);
    if (plain !== null) entity.keyValue = plain;
    else if (ValueCipher.looksSealed(entity.keyValue)) {
      this.logger.warn(
        `the value of API key ${entity.id} does not open with the configured secret`,
      );
      entity.keyValue = null;
    }
    return entity;
  }

  /** A row as it is stored: a retrievable key's value sealed, with the row id as associated data. */
  private sealed(entity: ApiKeyEntity): ApiKeyEntity {
    if (entity.keyValue === null || !this.cipher.available) return entity;
    return { ...entity, keyValue: this.cipher.seal(entity.keyValue, entity.id) };
  }

  /** Seals stored values written in plaintext or under a previous secret (`sealStored`). */
  async sealStoredValues(): Promise<SealingOutcome> {
    const rows = await this.keys
      .createQueryBuilder('k')
      .select(['k.id', 'k.keyValue'])
      .where('k.keyValue IS NOT NULL')
      .getMany();
    return sealStored(
      this.cipher,
      rows.map((row) => ({ id: row.id, value: row.keyValue! })),
      async (id, stored, sealed) =>
        ((await this.keys.update({ id, keyValue: stored }, { keyValue: sealed })).affected ?? 0) >
        0,
      (id) =>
        this.logger.warn(
          `the value of API key ${id} is sealed by an unknown secret; left as it is`,
        ),
    );
  }

  /**
   * Keys by digest: a key's current value, or a rotated key's previous value while its
   * grace lasts. A previous value's record expires when the grace does (or earlier, with
   * the key), so every replica refuses it from that instant on, whatever it heard.
   */
  async findRecordsByDigests(digests: readonly string[]): Promise<Map<string, ApiKeyRecord>> {
    const wanted = [...digests];
    const entities = await this.keys.find({
      where: [
        { keyDigest: In(wanted) },
        { previousKeyDigest: In(wanted), previousExpirationInstant: MoreThan(Date.now()) },
      ],
    });
    const found = new Map<string, ApiKeyRecord>();
    for (const entity of entities) {
      if (entity.previousKeyDigest !== null && wanted.includes(entity.previousKeyDigest)) {
        const graceEnd = entity.previousExpirationInstant!;
        const ends = entity.expirationInstant;
        found.set(entity.previousKeyDigest, {
          ...toRecord(entity),
          expirationInstant: ends === null ? graceEnd : Math.min(ends, graceEnd),
        });
      }
      // Keyed by the stored digest: a digest is found only by itself, whatever the collation.
      if (wanted.includes(entity.keyDigest)) found.set(entity.keyDigest, toRecord(entity));
    }
    return found;
  }

  async getById(scope: string | null, id: string): Promise<ApiKeyEntity | null> {
    return this.opened(
      await this.keys.findOneBy(scope === null ? { id } : { id, tenantId: scope }),
    );
  }

  /** Names are unique per tenant; the global keys (no tenant) form one more namespace. */
  async findByName(tenantId: string | null, name: string): Promise<ApiKeyEntity | null> {
    return this.opened(await this.keys.findOneBy({ nameScope: tenantId ?? '', name }));
  }

  /** The current authority of each of these keys that still exists. */
  async recordsByIds(ids: readonly string[]): Promise<Map<string, ApiKeyRecord>> {
    const entities = await this.keys.findBy({ id: In([...ids]) });
    return new Map(entities.map((entity) => [entity.id, toRecord(entity)]));
  }

  /** Whether any key has this value, now or as a previous value still in its grace. */
  async digestExists(digest: string): Promise<boolean> {
    const uses = await this.keys.countBy([
      { keyDigest: digest },
      { previousKeyDigest: digest, previousExpirationInstant: MoreThan(Date.now()) },
    ]);
    return uses > 0;
  }

  /**
   * Moves the last use of these keys forward to `instant` (never back): one statement per
   * `LAST_USE_BATCH` keys, each its own commit, so no write holds many rows locked for long.
   */
  async recordUses(ids: readonly string[], instant: number): Promise<void> {
    for (let i = 0; i < ids.length; i += LAST_USE_BATCH) {
      await this.keys
        .createQueryBuilder()
        .update(ApiKeyEntity)
        .set({ lastUsedInstant: instant })
        .where({ id: In(ids.slice(i, i + LAST_USE_BATCH)) })
        .andWhere('(last_used_instant IS NULL OR last_used_instant < :instant)', { instant })
        .execute();
    }
  }

  async list(scope: string | null): Promise<ApiKeyEntity[]> {
    const rows = await this.keys.find({
      where: scope === null ? {} : { tenantId: scope },
      order: { insertInstant: 'ASC', id: 'ASC' },
    });
    return rows.map((row) => this.opened(row));
  }

  async listByTenant(
    tenantId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ApiKeyEntity[]> {
    const rows = await manager.getRepository(ApiKeyEntity).findBy({ tenantId });
    return rows.map((row) => this.opened(row));
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
    await this.keys.insert(this.sealed(entity) as QueryDeepPartialEntity<ApiKeyEntity>);
  }

  async save(entity: ApiKeyEntity): Promise<void> {
    await this.keys.save(this.sealed(entity));
  }

  async delete(id: string): Promise<void> {
    await this.keys.delete({ id });
  }
}

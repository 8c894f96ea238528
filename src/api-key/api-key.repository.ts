import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, In, MoreThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { permissionsFromJson } from '../auth/permissions';
import { RowReader, RowValues } from '../database/row-reader';
import { bool, jsonText, optionalInstant, optionalText } from '../database/row-values';
import { SealingOutcome, sealStored, ValueCipher } from '../encryption/value-cipher';
import { ApiKeyRecord, ApiKeySource } from '../key-cache/api-key.record';
import { ApiKeyEntity } from './api-key.entity';
import type { RateLimit } from '../rate-limit/rate-limit';

/** What a key's authority is made of. */
type Authority = Pick<
  ApiKeyEntity,
  | 'id'
  | 'tenantId'
  | 'keyManager'
  | 'permissions'
  | 'expirationInstant'
  | 'ipAccessControlListId'
  | 'rateLimit'
>;

/** A key as a lookup by digest reads it: its authority and the digests it answers to. */
type StoredKey = Authority &
  Pick<ApiKeyEntity, 'keyDigest' | 'previousKeyDigest' | 'previousExpirationInstant'>;

const STORED_KEY_COLUMNS = [
  'id',
  'tenant_id',
  'key_manager',
  'permissions',
  'expiration_instant',
  'ip_access_control_list_id',
  'rate_limit',
  'key_digest',
  'previous_key_digest',
  'previous_expiration_instant',
].join(', ');

function storedKeyOf(row: RowValues): StoredKey {
  return {
    id: String(row[0]),
    tenantId: optionalText(row[1]),
    keyManager: bool(row[2]),
    permissions: optionalText(row[3]),
    expirationInstant: optionalInstant(row[4]),
    ipAccessControlListId: optionalText(row[5]),
    rateLimit: row[6] === null ? null : jsonText<RateLimit>(row[6]),
    keyDigest: String(row[7]),
    previousKeyDigest: optionalText(row[8]),
    previousExpirationInstant: optionalInstant(row[9]),
  };
}

/**
 * The SQL of a lookup of `count` digests: a key's current digest, or its previous one while
 * its grace lasts (the instant is the last parameter).
 */
function digestLookup(count: number): string {
  const list = Array<string>(count).fill('?').join(', ');
  return (
    `SELECT ${STORED_KEY_COLUMNS} FROM api_keys WHERE key_digest IN (${list}) ` +
    `OR (previous_key_digest IN (${list}) AND previous_expiration_instant > ?)`
  );
}

/**
 * The digests of one lookup, as many as the next power of two (the last one repeated), so
 * that lookups of any size share a handful of statements, each prepared once.
 */
export function paddedDigests(digests: readonly string[]): string[] {
  let size = 1;
  while (size < digests.length) size *= 2;
  const padded = [...digests];
  while (padded.length < size) padded.push(digests[digests.length - 1]);
  return padded;
}

export function toRecord(entity: Authority): ApiKeyRecord {
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

  /** Lookup SQL by the number of digests (a power of two). */
  private readonly lookups = new Map<number, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: ValueCipher,
    private readonly rows: RowReader,
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
   * the key), so every replica refuses it from that instant on, whatever it heard. The
   * hot path of every unknown key: one statement per padded size, its rows as arrays.
   */
  async findRecordsByDigests(digests: readonly string[]): Promise<Map<string, ApiKeyRecord>> {
    const found = new Map<string, ApiKeyRecord>();
    if (digests.length === 0) return found;
    const wanted = paddedDigests(digests);
    let sql = this.lookups.get(wanted.length);
    if (sql === undefined) {
      sql = digestLookup(wanted.length);
      this.lookups.set(wanted.length, sql);
    }
    const rows = await this.rows.rows(sql, [...wanted, ...wanted, Date.now()]);
    for (const stored of rows.map(storedKeyOf)) {
      if (stored.previousKeyDigest !== null && digests.includes(stored.previousKeyDigest)) {
        const graceEnd = stored.previousExpirationInstant!;
        const ends = stored.expirationInstant;
        found.set(stored.previousKeyDigest, {
          ...toRecord(stored),
          expirationInstant: ends === null ? graceEnd : Math.min(ends, graceEnd),
        });
      }
      // Keyed by the stored digest: a digest is found only by itself, whatever the collation.
      if (digests.includes(stored.keyDigest)) found.set(stored.keyDigest, toRecord(stored));
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

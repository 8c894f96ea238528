import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';
import type { RateLimit } from '../rate-limit/rate-limit';

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** SHA-256 of the key, base64url: the only form a key is looked up by. */
  @Column({ name: 'key_digest', type: 'varchar', length: 64 })
  keyDigest!: string;

  /** The key itself, kept only while the key is retrievable. */
  @Column({ name: 'key_value', type: 'text', nullable: true })
  keyValue!: string | null;

  @Column({ type: 'varchar', length: 191, nullable: true })
  name!: string | null;

  /** The namespace `name` is unique in: the tenant id, or '' for the global keys. */
  @Column({ name: 'name_scope', type: 'varchar', length: 36, default: '' })
  nameScope!: string;

  @Column({ name: 'meta_data', type: 'text', nullable: true, transformer: jsonText })
  metaData!: Record<string, unknown> | null;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true })
  tenantId!: string | null;

  /** `{ endpoint: [methods] }`; null is a super key. */
  @Column({ type: 'text', nullable: true })
  permissions!: string | null;

  @Column({ name: 'key_manager', type: 'boolean' })
  keyManager!: boolean;

  @Column({ name: 'ip_access_control_list_id', type: 'varchar', length: 36, nullable: true })
  ipAccessControlListId!: string | null;

  @Column({ name: 'expiration_instant', type: 'bigint', nullable: true, transformer: epochMillis })
  expirationInstant!: number | null;

  @Column({ type: 'boolean' })
  retrievable!: boolean;

  /** A rotated key's previous value, by digest, while its grace lasts. */
  @Column({ name: 'previous_key_digest', type: 'varchar', length: 64, nullable: true })
  previousKeyDigest!: string | null;

  /** When the previous value stops working (epoch ms). */
  @Column({
    name: 'previous_expiration_instant',
    type: 'bigint',
    nullable: true,
    transformer: epochMillis,
  })
  previousExpirationInstant!: number | null;

  /** The latest use any replica wrote down (within one interval of the truth). */
  @Column({ name: 'last_used_instant', type: 'bigint', nullable: true, transformer: epochMillis })
  lastUsedInstant!: number | null;

  /** `{requests, seconds, burst}`; null: no limit. */
  @Column({ name: 'rate_limit', type: 'text', nullable: true, transformer: jsonText })
  rateLimit!: RateLimit | null;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}

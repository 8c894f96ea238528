import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';
import type { JsonObject } from '../common/fields';

/**
 * A refresh token: a login session. The token itself is a bearer secret and only its
 * SHA-256 digest is stored; `id` is what the API and the access token's `sid` name.
 */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  digest!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'application_id', type: 'varchar', length: 36, nullable: true })
  applicationId!: string | null;

  /** When the session began; a sliding window never extends beyond its maximum from here. */
  @Column({ name: 'start_instant', type: 'bigint', transformer: epochMillis })
  startInstant!: number;

  @Column({ name: 'expiration_instant', type: 'bigint', transformer: epochMillis })
  expirationInstant!: number;

  /** `device`, `scopes`: what the login said of itself. */
  @Column({ name: 'meta_data', type: 'text', transformer: jsonText })
  metaData!: JsonObject;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;
}

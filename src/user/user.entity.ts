import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';
import type { JsonObject } from '../common/fields';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** Lower case; unique per tenant. */
  @Column({ type: 'varchar', length: 191, nullable: true })
  email!: string | null;

  /** Unique per tenant, case-insensitively (the column's collation). */
  @Column({ type: 'varchar', length: 191, nullable: true })
  username!: string | null;

  @Column({ name: 'first_name', type: 'varchar', length: 191, nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 191, nullable: true })
  lastName!: string | null;

  @Column({ name: 'full_name', type: 'varchar', length: 191, nullable: true })
  fullName!: string | null;

  /** argon2id, PHC string format. Never leaves the service. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ type: 'boolean' })
  verified!: boolean;

  /** The rest of the profile Portcullis models (birthDate, data, preferredLanguages, …). */
  @Column({ type: 'text', transformer: jsonText })
  details!: JsonObject;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;

  @Column({ name: 'last_login_instant', type: 'bigint', nullable: true, transformer: epochMillis })
  lastLoginInstant!: number | null;

  @Column({
    name: 'password_last_update_instant',
    type: 'bigint',
    nullable: true,
    transformer: epochMillis,
  })
  passwordLastUpdateInstant!: number | null;
}

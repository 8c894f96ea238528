import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonObject } from '../common/fields';
import { epochMillis, jsonText } from '../database/columns';

/**
 * An outstanding change password id of the forgot password workflow. The id itself is a
 * credential (it changes a password without any other), so only its SHA-256 digest is
 * kept; it is good once, until it expires.
 */
@Entity({ name: 'change_password_ids' })
export class ChangePasswordIdEntity {
  @PrimaryColumn({ name: 'id_digest', type: 'varchar', length: 64 })
  idDigest!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** What the caller asked to get back when the password is changed. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  state!: JsonObject | null;

  @Column({ name: 'expiration_instant', type: 'bigint', transformer: epochMillis })
  expirationInstant!: number;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;
}

/** A password a user had, kept while the tenant remembers previous passwords. */
@Entity({ name: 'previous_passwords' })
export class PreviousPasswordEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** argon2id, PHC string format. Never leaves the service. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;
}

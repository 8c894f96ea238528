import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';
import type { JsonObject } from '../common/fields';

/*
 * Rows of the Entity API's tables. Named `…Row`: "EntityEntity" would say nothing, and the
 * token endpoint reads these rows by those names.
 */

@Entity({ name: 'entity_types' })
export class EntityTypeRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Unique, case-insensitively. */
  @Column({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'text', transformer: jsonText })
  data!: JsonObject;

  /** `jwtConfiguration`: when enabled, tokens for this type's entities use its key and lifetime. */
  @Column({ name: 'jwt_enabled', type: 'boolean' })
  jwtEnabled!: boolean;

  @Column({ name: 'jwt_access_token_key_id', type: 'varchar', length: 36, nullable: true })
  jwtAccessTokenKeyId!: string | null;

  @Column({ name: 'jwt_time_to_live_seconds', type: 'int', nullable: true })
  jwtTimeToLiveSeconds!: number | null;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}

@Entity({ name: 'entity_type_permissions' })
export class EntityTypePermissionRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'entity_type_id', type: 'varchar', length: 36 })
  entityTypeId!: string;

  /** Unique per type, matched exactly. */
  @Column({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Given by a grant that names no permissions. */
  @Column({ name: 'is_default', type: 'boolean' })
  isDefault!: boolean;

  @Column({ type: 'text', transformer: jsonText })
  data!: JsonObject;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}

@Entity({ name: 'entities' })
export class EntityRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'type_id', type: 'varchar', length: 36 })
  typeId!: string;

  @Column({ type: 'varchar', length: 191 })
  name!: string;

  /** Unique across tenants: the token endpoint finds the entity by it alone. */
  @Column({ name: 'client_id', type: 'varchar', length: 191 })
  clientId!: string;

  /** Kept recoverably: FusionAuth's retrieve returns it. */
  @Column({ name: 'client_secret', type: 'text' })
  clientSecret!: string;

  @Column({ type: 'text', transformer: jsonText })
  data!: JsonObject;

  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId!: string | null;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}

/** Permissions an entity (the target) grants to a recipient entity or to a user. */
@Entity({ name: 'entity_grants' })
export class EntityGrantRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 36 })
  entityId!: string;

  @Column({ name: 'recipient_entity_id', type: 'varchar', length: 36, nullable: true })
  recipientEntityId!: string | null;

  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId!: string | null;

  @Column({ type: 'text', transformer: jsonText })
  permissions!: string[];

  @Column({ type: 'text', transformer: jsonText })
  data!: JsonObject;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}

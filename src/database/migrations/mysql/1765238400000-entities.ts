import { MigrationInterface, QueryRunner } from 'typeorm';

export class EntitiesMysql1765238400000 implements MigrationInterface {
  name = 'EntitiesMysql1765238400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE entity_types (
      id varchar(36) NOT NULL,
      name varchar(191) NOT NULL,
      data text NOT NULL,
      jwt_enabled tinyint(1) NOT NULL DEFAULT 0,
      jwt_access_token_key_id varchar(36) NULL,
      jwt_time_to_live_seconds int NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_entity_types_name (name),
      KEY ix_entity_types_key (jwt_access_token_key_id),
      CONSTRAINT fk_entity_types_key FOREIGN KEY (jwt_access_token_key_id) REFERENCES signing_keys (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
    // Permission names are matched exactly (they travel in token scopes), hence binary.
    await db.query(`CREATE TABLE entity_type_permissions (
      id varchar(36) NOT NULL,
      entity_type_id varchar(36) NOT NULL,
      name varchar(191) COLLATE utf8mb4_bin NOT NULL,
      description text NULL,
      is_default tinyint(1) NOT NULL DEFAULT 0,
      data text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_entity_type_permissions_name (entity_type_id, name),
      CONSTRAINT fk_entity_type_permissions_type FOREIGN KEY (entity_type_id) REFERENCES entity_types (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
    await db.query(`CREATE TABLE entities (
      id varchar(36) NOT NULL,
      tenant_id varchar(36) NOT NULL,
      type_id varchar(36) NOT NULL,
      name varchar(191) NOT NULL,
      client_id varchar(191) COLLATE utf8mb4_bin NOT NULL,
      client_secret varchar(255) COLLATE utf8mb4_bin NOT NULL,
      data text NOT NULL,
      parent_id varchar(36) NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_entities_client_id (client_id),
      KEY ix_entities_tenant_name (tenant_id, name),
      KEY ix_entities_type (type_id),
      CONSTRAINT fk_entities_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
      CONSTRAINT fk_entities_type FOREIGN KEY (type_id) REFERENCES entity_types (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
    await db.query(`CREATE TABLE entity_grants (
      id varchar(36) NOT NULL,
      entity_id varchar(36) NOT NULL,
      recipient_entity_id varchar(36) NULL,
      user_id varchar(36) NULL,
      permissions text NOT NULL,
      data text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_entity_grants_recipient (entity_id, recipient_entity_id),
      UNIQUE KEY uq_entity_grants_user (entity_id, user_id),
      KEY ix_entity_grants_recipient (recipient_entity_id),
      KEY ix_entity_grants_user (user_id),
      CONSTRAINT fk_entity_grants_entity FOREIGN KEY (entity_id) REFERENCES entities (id) ON DELETE CASCADE,
      CONSTRAINT fk_entity_grants_recipient FOREIGN KEY (recipient_entity_id) REFERENCES entities (id) ON DELETE CASCADE,
      CONSTRAINT fk_entity_grants_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['entity_grants', 'entities', 'entity_type_permissions', 'entity_types'])
      await db.query(`DROP TABLE ${table}`);
  }
}

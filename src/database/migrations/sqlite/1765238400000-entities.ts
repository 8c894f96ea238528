import { MigrationInterface, QueryRunner } from 'typeorm';

export class EntitiesSqlite1765238400000 implements MigrationInterface {
  name = 'EntitiesSqlite1765238400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE entity_types (
      id varchar(36) PRIMARY KEY NOT NULL,
      name varchar(191) NOT NULL COLLATE NOCASE,
      data text NOT NULL,
      jwt_enabled boolean NOT NULL DEFAULT 0,
      jwt_access_token_key_id varchar(36) NULL REFERENCES signing_keys (id),
      jwt_time_to_live_seconds integer NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(`CREATE UNIQUE INDEX uq_entity_types_name ON entity_types (name)`);
    await db.query(`CREATE INDEX ix_entity_types_key ON entity_types (jwt_access_token_key_id)`);
    await db.query(`CREATE TABLE entity_type_permissions (
      id varchar(36) PRIMARY KEY NOT NULL,
      entity_type_id varchar(36) NOT NULL REFERENCES entity_types (id) ON DELETE CASCADE,
      name varchar(191) NOT NULL,
      description text NULL,
      is_default boolean NOT NULL DEFAULT 0,
      data text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(
      `CREATE UNIQUE INDEX uq_entity_type_permissions_name ON entity_type_permissions (entity_type_id, name)`,
    );
    await db.query(`CREATE TABLE entities (
      id varchar(36) PRIMARY KEY NOT NULL,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      type_id varchar(36) NOT NULL REFERENCES entity_types (id),
      name varchar(191) NOT NULL COLLATE NOCASE,
      client_id varchar(191) NOT NULL,
      client_secret varchar(255) NOT NULL,
      data text NOT NULL,
      parent_id varchar(36) NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(`CREATE UNIQUE INDEX uq_entities_client_id ON entities (client_id)`);
    await db.query(`CREATE INDEX ix_entities_tenant_name ON entities (tenant_id, name)`);
    await db.query(`CREATE INDEX ix_entities_type ON entities (type_id)`);
    await db.query(`CREATE TABLE entity_grants (
      id varchar(36) PRIMARY KEY NOT NULL,
      entity_id varchar(36) NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
      recipient_entity_id varchar(36) NULL REFERENCES entities (id) ON DELETE CASCADE,
      user_id varchar(36) NULL REFERENCES users (id) ON DELETE CASCADE,
      permissions text NOT NULL,
      data text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(
      `CREATE UNIQUE INDEX uq_entity_grants_recipient ON entity_grants (entity_id, recipient_entity_id)`,
    );
    await db.query(
      `CREATE UNIQUE INDEX uq_entity_grants_user ON entity_grants (entity_id, user_id)`,
    );
    await db.query(
      `CREATE INDEX ix_entity_grants_recipient ON entity_grants (recipient_entity_id)`,
    );
    await db.query(`CREATE INDEX ix_entity_grants_user ON entity_grants (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['entity_grants', 'entities', 'entity_type_permissions', 'entity_types'])
      await db.query(`DROP TABLE ${table}`);
  }
}

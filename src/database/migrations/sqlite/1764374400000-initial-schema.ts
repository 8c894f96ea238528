import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaSqlite1764374400000 implements MigrationInterface {
  name = 'InitialSchemaSqlite1764374400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE tenants (
      id varchar(36) PRIMARY KEY NOT NULL,
      name varchar(191) NOT NULL COLLATE NOCASE,
      is_default boolean NOT NULL DEFAULT 0,
      configuration text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(`CREATE UNIQUE INDEX uq_tenants_name ON tenants (name)`);
    await db.query(`CREATE TABLE api_keys (
      id varchar(36) PRIMARY KEY NOT NULL,
      key_digest varchar(64) NOT NULL,
      key_value text NULL,
      name varchar(191) NULL COLLATE NOCASE,
      meta_data text NULL,
      tenant_id varchar(36) NULL REFERENCES tenants (id) ON DELETE CASCADE,
      permissions text NULL,
      key_manager boolean NOT NULL DEFAULT 0,
      ip_access_control_list_id varchar(36) NULL,
      expiration_instant bigint NULL,
      retrievable boolean NOT NULL DEFAULT 1,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(`CREATE UNIQUE INDEX uq_api_keys_digest ON api_keys (key_digest)`);
    await db.query(`CREATE UNIQUE INDEX uq_api_keys_name ON api_keys (name)`);
    await db.query(`CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id)`);
    await db.query(`CREATE INDEX ix_api_keys_insert_instant ON api_keys (insert_instant)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE api_keys`);
    await db.query(`DROP TABLE tenants`);
  }
}

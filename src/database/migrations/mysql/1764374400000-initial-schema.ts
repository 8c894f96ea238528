import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names collate under UCA 5.2 (utf8mb4_unicode_520_ci, on MariaDB and MySQL 8 alike):
 * case-insensitive, and unlike utf8mb4_unicode_ci it tells characters outside the Basic
 * Multilingual Plane apart ("Team 🍣" and "Team 🍺" are two names).
 */
export class InitialSchemaMysql1764374400000 implements MigrationInterface {
  name = 'InitialSchemaMysql1764374400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE tenants (
      id varchar(36) NOT NULL,
      name varchar(191) NOT NULL,
      is_default tinyint(1) NOT NULL DEFAULT 0,
      configuration mediumtext NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_tenants_name (name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
    await db.query(`CREATE TABLE api_keys (
      id varchar(36) NOT NULL,
      key_digest varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      key_value text NULL,
      name varchar(191) NULL,
      meta_data text NULL,
      tenant_id varchar(36) NULL,
      permissions text NULL,
      key_manager tinyint(1) NOT NULL DEFAULT 0,
      ip_access_control_list_id varchar(36) NULL,
      expiration_instant bigint NULL,
      retrievable tinyint(1) NOT NULL DEFAULT 1,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_api_keys_digest (key_digest),
      UNIQUE KEY uq_api_keys_name (name),
      KEY ix_api_keys_tenant (tenant_id),
      KEY ix_api_keys_insert_instant (insert_instant),
      CONSTRAINT fk_api_keys_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE api_keys`);
    await db.query(`DROP TABLE tenants`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API key names become unique per tenant (global keys form one more namespace), so that
 * a name used in another tenant is never refused. The namespace is a plain column kept
 * by the service: MySQL refuses a generated column over `tenant_id`, whose foreign key
 * cascades, and MariaDB has no functional index.
 */
export class ApiKeyNameScopeMysql1764806400000 implements MigrationInterface {
  name = 'ApiKeyNameScopeMysql1764806400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE api_keys ADD COLUMN name_scope varchar(36) NOT NULL DEFAULT '' AFTER name`,
    );
    await db.query(`UPDATE api_keys SET name_scope = COALESCE(tenant_id, '')`);
    await db.query(
      `ALTER TABLE api_keys DROP INDEX uq_api_keys_name, ADD UNIQUE KEY uq_api_keys_scope_name (name_scope, name)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE api_keys DROP INDEX uq_api_keys_scope_name, ADD UNIQUE KEY uq_api_keys_name (name)`,
    );
    await db.query(`ALTER TABLE api_keys DROP COLUMN name_scope`);
  }
}

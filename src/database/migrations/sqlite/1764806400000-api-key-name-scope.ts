import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API key names become unique per tenant (global keys form one more namespace), so that
 * a name used in another tenant is never refused. The same plain column as on MySQL.
 */
export class ApiKeyNameScopeSqlite1764806400000 implements MigrationInterface {
  name = 'ApiKeyNameScopeSqlite1764806400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_keys ADD COLUMN name_scope varchar(36) NOT NULL DEFAULT ''`);
    await db.query(`UPDATE api_keys SET name_scope = ifnull(tenant_id, '')`);
    await db.query(`DROP INDEX uq_api_keys_name`);
    await db.query(`CREATE UNIQUE INDEX uq_api_keys_scope_name ON api_keys (name_scope, name)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX uq_api_keys_scope_name`);
    await db.query(`CREATE UNIQUE INDEX uq_api_keys_name ON api_keys (name)`);
    await db.query(`ALTER TABLE api_keys DROP COLUMN name_scope`);
  }
}

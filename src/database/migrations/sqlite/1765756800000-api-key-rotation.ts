import { MigrationInterface, QueryRunner } from 'typeorm';

/** A rotated key's previous value (its digest) and when it stops working; and its last use. */
export class ApiKeyRotationSqlite1765756800000 implements MigrationInterface {
  name = 'ApiKeyRotationSqlite1765756800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_keys ADD COLUMN previous_key_digest varchar(64) NULL`);
    await db.query(`ALTER TABLE api_keys ADD COLUMN previous_expiration_instant bigint NULL`);
    await db.query(`ALTER TABLE api_keys ADD COLUMN last_used_instant bigint NULL`);
    await db.query(`CREATE INDEX ix_api_keys_previous_digest ON api_keys (previous_key_digest)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ix_api_keys_previous_digest`);
    for (const column of [
      'last_used_instant',
      'previous_expiration_instant',
      'previous_key_digest',
    ])
      await db.query(`ALTER TABLE api_keys DROP COLUMN ${column}`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** An API key's rate limit, `{requests, seconds, burst}` as JSON; null: none. */
export class ApiKeyRateLimitsSqlite1765584000000 implements MigrationInterface {
  name = 'ApiKeyRateLimitsSqlite1765584000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_keys ADD COLUMN rate_limit text NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_keys DROP COLUMN rate_limit`);
  }
}

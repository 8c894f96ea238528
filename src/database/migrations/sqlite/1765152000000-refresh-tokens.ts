import { MigrationInterface, QueryRunner } from 'typeorm';

export class RefreshTokensSqlite1765152000000 implements MigrationInterface {
  name = 'RefreshTokensSqlite1765152000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE refresh_tokens (
      id varchar(36) PRIMARY KEY NOT NULL,
      digest varchar(64) NOT NULL,
      user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      tenant_id varchar(36) NOT NULL,
      application_id varchar(36) NULL REFERENCES applications (id) ON DELETE CASCADE,
      start_instant bigint NOT NULL,
      expiration_instant bigint NOT NULL,
      meta_data text NOT NULL,
      insert_instant bigint NOT NULL)`);
    await db.query(`CREATE UNIQUE INDEX uq_refresh_tokens_digest ON refresh_tokens (digest)`);
    await db.query(`CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id)`);
    await db.query(`CREATE INDEX ix_refresh_tokens_application ON refresh_tokens (application_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE refresh_tokens`);
  }
}

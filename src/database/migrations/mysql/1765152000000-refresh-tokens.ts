import { MigrationInterface, QueryRunner } from 'typeorm';

export class RefreshTokensMysql1765152000000 implements MigrationInterface {
  name = 'RefreshTokensMysql1765152000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE refresh_tokens (
      id varchar(36) NOT NULL,
      digest varchar(64) COLLATE utf8mb4_bin NOT NULL,
      user_id varchar(36) NOT NULL,
      tenant_id varchar(36) NOT NULL,
      application_id varchar(36) NULL,
      start_instant bigint NOT NULL,
      expiration_instant bigint NOT NULL,
      meta_data text NOT NULL,
      insert_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_refresh_tokens_digest (digest),
      KEY ix_refresh_tokens_user (user_id),
      KEY ix_refresh_tokens_application (application_id),
      CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
      CONSTRAINT fk_refresh_tokens_application FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE refresh_tokens`);
  }
}

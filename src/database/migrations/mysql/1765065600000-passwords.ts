import { MigrationInterface, QueryRunner } from 'typeorm';

export class PasswordsMysql1765065600000 implements MigrationInterface {
  name = 'PasswordsMysql1765065600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE change_password_ids (
      id_digest varchar(64) COLLATE utf8mb4_bin NOT NULL,
      user_id varchar(36) NOT NULL,
      tenant_id varchar(36) NOT NULL,
      state text NULL,
      expiration_instant bigint NOT NULL,
      insert_instant bigint NOT NULL,
      PRIMARY KEY (id_digest),
      KEY ix_change_password_ids_user (user_id),
      CONSTRAINT fk_change_password_ids_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
    await db.query(`CREATE TABLE previous_passwords (
      id varchar(36) NOT NULL,
      user_id varchar(36) NOT NULL,
      password_hash varchar(255) NOT NULL,
      insert_instant bigint NOT NULL,
      PRIMARY KEY (id),
      KEY ix_previous_passwords_user (user_id, insert_instant),
      CONSTRAINT fk_previous_passwords_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE previous_passwords`);
    await db.query(`DROP TABLE change_password_ids`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class PasswordsSqlite1765065600000 implements MigrationInterface {
  name = 'PasswordsSqlite1765065600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE change_password_ids (
      id_digest varchar(64) PRIMARY KEY NOT NULL,
      user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      tenant_id varchar(36) NOT NULL,
      state text NULL,
      expiration_instant bigint NOT NULL,
      insert_instant bigint NOT NULL)`);
    await db.query(`CREATE INDEX ix_change_password_ids_user ON change_password_ids (user_id)`);
    await db.query(`CREATE TABLE previous_passwords (
      id varchar(36) PRIMARY KEY NOT NULL,
      user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      password_hash varchar(255) NOT NULL,
      insert_instant bigint NOT NULL)`);
    await db.query(
      `CREATE INDEX ix_previous_passwords_user ON previous_passwords (user_id, insert_instant)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE previous_passwords`);
    await db.query(`DROP TABLE change_password_ids`);
  }
}

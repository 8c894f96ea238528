import { MigrationInterface, QueryRunner } from 'typeorm';
import { giveTenantsSigningKeys } from '../tenant-signing-keys';

export class SigningKeysMysql1764979200000 implements MigrationInterface {
  name = 'SigningKeysMysql1764979200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE signing_keys (
      id varchar(36) NOT NULL,
      name varchar(191) NOT NULL,
      algorithm varchar(16) NOT NULL,
      type varchar(8) NOT NULL,
      kid varchar(191) COLLATE utf8mb4_bin NOT NULL,
      length int NULL,
      issuer varchar(255) NULL,
      certificate mediumtext NULL,
      public_key mediumtext NULL,
      private_key mediumtext NULL,
      secret text NULL,
      expiration_instant bigint NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_signing_keys_name (name),
      UNIQUE KEY uq_signing_keys_kid (kid)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
    await giveTenantsSigningKeys(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE signing_keys`);
  }
}

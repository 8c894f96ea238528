import { MigrationInterface, QueryRunner } from 'typeorm';
import { giveTenantsSigningKeys } from '../tenant-signing-keys';

export class SigningKeysSqlite1764979200000 implements MigrationInterface {
  name = 'SigningKeysSqlite1764979200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE signing_keys (
      id varchar(36) PRIMARY KEY NOT NULL,
      name varchar(191) NOT NULL COLLATE NOCASE,
      algorithm varchar(16) NOT NULL,
      type varchar(8) NOT NULL,
      kid varchar(191) NOT NULL,
      length integer NULL,
      issuer varchar(255) NULL,
      certificate text NULL,
      public_key text NULL,
      private_key text NULL,
      secret text NULL,
      expiration_instant bigint NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(`CREATE UNIQUE INDEX uq_signing_keys_name ON signing_keys (name)`);
    await db.query(`CREATE UNIQUE INDEX uq_signing_keys_kid ON signing_keys (kid)`);
    await giveTenantsSigningKeys(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE signing_keys`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** A sealed client secret is longer than the secret: the column holds any length. */
export class SealedSecretsMysql1765497600000 implements MigrationInterface {
  name = 'SealedSecretsMysql1765497600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE entities MODIFY client_secret text NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE entities MODIFY client_secret varchar(255) NOT NULL`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** FusionAuth's system configuration: one row, its settings as JSON. */
export class SystemConfigurationSqlite1765843200000 implements MigrationInterface {
  name = 'SystemConfigurationSqlite1765843200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE system_configuration (
      id integer NOT NULL PRIMARY KEY,
      configuration text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE system_configuration`);
  }
}

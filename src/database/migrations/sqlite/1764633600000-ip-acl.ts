import { MigrationInterface, QueryRunner } from 'typeorm';

export class IpAclSchemaSqlite1764633600000 implements MigrationInterface {
  name = 'IpAclSchemaSqlite1764633600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE ip_access_control_lists (
      id varchar(36) PRIMARY KEY NOT NULL,
      name varchar(191) NOT NULL COLLATE NOCASE,
      entries text NOT NULL,
      data text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(
      `CREATE UNIQUE INDEX uq_ip_access_control_lists_name ON ip_access_control_lists (name)`,
    );
    await db.query(
      `CREATE INDEX ix_api_keys_ip_access_control_list ON api_keys (ip_access_control_list_id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ix_api_keys_ip_access_control_list`);
    await db.query(`DROP TABLE ip_access_control_lists`);
  }
}

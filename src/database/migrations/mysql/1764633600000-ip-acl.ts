import { MigrationInterface, QueryRunner } from 'typeorm';

export class IpAclSchemaMysql1764633600000 implements MigrationInterface {
  name = 'IpAclSchemaMysql1764633600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE ip_access_control_lists (
      id varchar(36) NOT NULL,
      name varchar(191) NOT NULL,
      entries mediumtext NOT NULL,
      data mediumtext NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_ip_access_control_lists_name (name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
    await db.query(
      `CREATE INDEX ix_api_keys_ip_access_control_list ON api_keys (ip_access_control_list_id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ix_api_keys_ip_access_control_list ON api_keys`);
    await db.query(`DROP TABLE ip_access_control_lists`);
  }
}

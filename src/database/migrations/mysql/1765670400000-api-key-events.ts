import { MigrationInterface, QueryRunner } from 'typeorm';

/** The API keys' audit trail: changes and refused uses, pruned after the retention period. */
export class ApiKeyEventsMysql1765670400000 implements MigrationInterface {
  name = 'ApiKeyEventsMysql1765670400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE api_key_events (
      id varchar(36) NOT NULL PRIMARY KEY,
      key_id varchar(36) NOT NULL,
      tenant_id varchar(36) NULL,
      type varchar(16) NOT NULL,
      caller_key_id varchar(36) NULL,
      address varchar(64) NULL,
      instant bigint NOT NULL,
      changes text NULL,
      key_snapshot text NULL)`);
    await db.query(`CREATE INDEX ix_api_key_events_instant ON api_key_events (instant)`);
    await db.query(`CREATE INDEX ix_api_key_events_key ON api_key_events (key_id, instant)`);
    await db.query(`CREATE INDEX ix_api_key_events_tenant ON api_key_events (tenant_id, instant)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE api_key_events`);
  }
}

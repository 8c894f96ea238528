import { MigrationInterface, QueryRunner } from 'typeorm';

export class FirstBootSqlite1764892800000 implements MigrationInterface {
  name = 'FirstBootSqlite1764892800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE first_boot (
      id integer PRIMARY KEY NOT NULL,
      seeded_by varchar(32) NOT NULL,
      insert_instant bigint NOT NULL)`);
    // A database that already holds keys was seeded by an earlier version.
    await db.query(
      `INSERT INTO first_boot (id, seeded_by, insert_instant)
       SELECT 1, 'existingKeys', ? WHERE EXISTS (SELECT 1 FROM api_keys)`,
      [Date.now()],
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE first_boot`);
  }
}

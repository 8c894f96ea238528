import { MigrationInterface, QueryRunner } from 'typeorm';

export class FirstBootMysql1764892800000 implements MigrationInterface {
  name = 'FirstBootMysql1764892800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE first_boot (
      id int NOT NULL,
      seeded_by varchar(32) NOT NULL,
      insert_instant bigint NOT NULL,
      completed_instant bigint NULL,
      PRIMARY KEY (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci`);
    // A database an earlier version booted was seeded then (it made the Default tenant
    // and the first keys at that boot), whether or not keys are left now.
    const now = Date.now();
    await db.query(
      `INSERT INTO first_boot (id, seeded_by, insert_instant, completed_instant)
       SELECT 1, 'existingKeys', ?, ? FROM DUAL
       WHERE EXISTS (SELECT 1 FROM api_keys) OR EXISTS (SELECT 1 FROM tenants)`,
      [now, now],
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE first_boot`);
  }
}

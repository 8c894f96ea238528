import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config.schema';
import { isDatabaseUnavailable } from '../../src/database/database.errors';
import { openDatabase } from '../../src/database/data-source';
import { RowReader } from '../../src/database/row-reader';
import { dialects } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/databases';

const TENANT = '00000000-0000-4000-8000-000000000001';

describe.each(dialects())('RowReader on %s', (dialect) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let reader: RowReader;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const config = loadConfig({
      DATABASE_URL: database.url,
      KEY_ENCRYPTION_SECRET: 'row-reader-test-secret-0123456789abcdef',
    });
    dataSource = await openDatabase(config.database, config);
    reader = new RowReader(dataSource);
    await dataSource.query(
      'INSERT INTO tenants (id, name, configuration, insert_instant, last_update_instant) VALUES (?, ?, ?, ?, ?)',
      [TENANT, "Zoë's tenant; DROP TABLE tenants --", '{"a":1}', 1, 2],
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('answers rows as arrays of the selected columns, in order, NULLs and text as stored', async () => {
    const rows = await reader.rows(
      'SELECT id, name, NULL AS absent, configuration FROM tenants WHERE id = ?',
      [TENANT],
    );
    expect(rows).toEqual([[TENANT, "Zoë's tenant; DROP TABLE tenants --", null, '{"a":1}']]);
  });

  it('binds a hostile value as a value: it matches nothing and changes nothing', async () => {
    const hostile = `' OR '1'='1`;
    expect(await reader.rows('SELECT id FROM tenants WHERE id = ?', [hostile])).toEqual([]);
    expect(await reader.rows('SELECT name FROM tenants WHERE name = ?', [hostile])).toEqual([]);
    expect(await reader.rows('SELECT COUNT(*) FROM tenants WHERE id = ?', [TENANT])).toEqual([[1]]);
  });

  it('answers the same statement again with other values (prepared once per text)', async () => {
    const sql = 'SELECT id FROM tenants WHERE id = ?';
    expect(await reader.rows(sql, [TENANT])).toEqual([[TENANT]]);
    expect(await reader.rows(sql, ['another'])).toEqual([]);
    expect(await reader.rows(sql, [TENANT])).toEqual([[TENANT]]);
  });

  it("rejects a statement the database refuses with the driver's error, not an outage", async () => {
    const failure = await reader.rows('SELECT no_such_column FROM tenants', []).then(
      () => null,
      (error: unknown) => error,
    );
    // The driver's own error (checked by its message: its class may come from another realm).
    expect(failure).toMatchObject({
      message: expect.stringMatching(/no such column|Unknown column/),
    });
    expect(isDatabaseUnavailable(failure)).toBe(false);
  });
});

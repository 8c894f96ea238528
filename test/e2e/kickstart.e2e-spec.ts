import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../../src/api-key/api-key.entity';
import { dialects, randomKey, startApp, TestApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/databases';

async function keyCount(test: TestApp): Promise<number> {
  return test.app.get(DataSource).getRepository(ApiKeyEntity).count();
}

interface ListedKey {
  id: string;
  key: string;
  tenantId?: string;
}

async function listKeys(test: TestApp, key: string): Promise<ListedKey[]> {
  const response = await test.http('/api/api-key', { key });
  return ((await response.json()) as { apiKeys: ListedKey[] }).apiKeys;
}

async function deleteOwnKey(test: TestApp): Promise<void> {
  const own = (await listKeys(test, test.managerKey)).find(
    (apiKey) => apiKey.key === test.managerKey,
  )!;
  expect((await test.http(`/api/api-key/${own.id}`, { method: 'DELETE' })).status).toBe(200);
}

describe.each(dialects())('kickstart and first boot on %s', (dialect) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });
  afterEach(() => database.drop());

  it('keeps an emptied key table empty across a restart', async () => {
    const first = await startApp(dialect, { database });
    expect(await keyCount(first)).toBe(1);
    await deleteOwnKey(first);
    expect(await keyCount(first)).toBe(0);
    await first.close();

    // Another kickstart file, another key: neither is applied to a seeded database.
    const second = await startApp(dialect, { database });
    expect(await keyCount(second)).toBe(0);
    expect((await second.http('/api/tenant')).status).toBe(401);
    await second.close();
  });

  it('counts a database that already holds keys (an earlier version) as seeded', async () => {
    const first = await startApp(dialect, { database });
    // As an earlier version left it: keys, and no record of the seeding.
    const dataSource = first.app.get(DataSource);
    await dataSource.query('DROP TABLE first_boot');
    await dataSource.query(`DELETE FROM schema_migrations WHERE name LIKE 'FirstBoot%'`);
    await first.close();

    const upgraded = await startApp(dialect, { database });
    expect((await upgraded.http('/api/tenant')).status).toBe(401);
    expect((await upgraded.http('/api/tenant', { key: first.managerKey })).status).toBe(200);
    expect(await keyCount(upgraded)).toBe(1);
    const [kept] = await listKeys(upgraded, first.managerKey);
    const deleted = await upgraded.http(`/api/api-key/${kept.id}`, {
      method: 'DELETE',
      key: first.managerKey,
    });
    expect(deleted.status).toBe(200);
    await upgraded.close();

    const emptied = await startApp(dialect, { database });
    expect(await keyCount(emptied)).toBe(0);
    await emptied.close();
  });

  it('counts a database an earlier version booted as seeded even when its keys are gone', async () => {
    const first = await startApp(dialect, { database });
    await deleteOwnKey(first);
    const dataSource = first.app.get(DataSource);
    await dataSource.query('DROP TABLE first_boot');
    await dataSource.query(`DELETE FROM schema_migrations WHERE name LIKE 'FirstBoot%'`);
    await first.close();

    const upgraded = await startApp(dialect, { database });
    expect(await keyCount(upgraded)).toBe(0);
    expect((await upgraded.http('/api/tenant')).status).toBe(401);
    await upgraded.close();
  });

  it('seeds again when an earlier seeding claimed the database and never finished', async () => {
    const first = await startApp(dialect, { database });
    await deleteOwnKey(first);
    // As a process that died mid-seed leaves it: claimed, not completed, no key made.
    await first.app.get(DataSource).query('UPDATE first_boot SET completed_instant = NULL');
    await first.close();

    const second = await startApp(dialect, { database });
    expect(await keyCount(second)).toBe(1);
    expect((await second.http('/api/tenant')).status).toBe(200);
    await second.close();

    const third = await startApp(dialect, { database });
    expect(await keyCount(third)).toBe(1);
    expect((await third.http('/api/tenant', { key: second.managerKey })).status).toBe(200);
    await third.close();
  });

  it('creates a key scoped to a tenant that its own requests create', async () => {
    const managerKey = randomKey();
    const scopedKey = randomKey();
    const tenantId = randomUUID();
    const test = await startApp(dialect, {
      database,
      kickstart: {
        variables: { tenantId },
        apiKeys: [
          { key: managerKey, keyManager: true },
          { key: scopedKey, tenantId: '#{tenantId}', description: 'Acme only' },
        ],
        requests: [
          { method: 'POST', url: '/api/tenant/#{tenantId}', body: { tenant: { name: 'Acme' } } },
        ],
      },
    });
    try {
      const own = await test.http(`/api/tenant/${tenantId}`, { key: scopedKey });
      expect(own.status).toBe(200);
      expect(((await own.json()) as { tenant: { name: string } }).tenant.name).toBe('Acme');
      const keys = await listKeys(test, managerKey);
      expect(keys.find((apiKey) => apiKey.key === scopedKey)).toMatchObject({ tenantId });
    } finally {
      await test.close();
    }
  });

  it('refuses a key naming a tenant nobody creates, naming the entry and the field, leaving no key', async () => {
    const kickstart = {
      apiKeys: [
        { key: randomKey(), keyManager: true },
        { key: randomKey(), tenantId: randomUUID() },
      ],
      requests: [{ method: 'POST', url: '/api/tenant', body: { tenant: { name: 'Other' } } }],
    };
    await expect(startApp(dialect, { database, kickstart })).rejects.toThrow(
      'kickstart: apiKeys[1].tenantId: The [apiKey.tenantId] names no tenant.',
    );
    // The requests' effects stay (as FusionAuth's would); the keys are gone, so a
    // corrected file is applied on the next boot.
    const test = await startApp(dialect, {
      database,
      kickstart: { apiKeys: [kickstart.apiKeys[0]] },
    });
    try {
      expect(await keyCount(test)).toBe(1);
    } finally {
      await test.close();
    }
  });

  it('refuses a first key naming a tenant that does not exist, naming the entry and the field', async () => {
    const kickstart = { apiKeys: [{ key: randomKey(), keyManager: true, tenantId: randomUUID() }] };
    await expect(startApp(dialect, { database, kickstart })).rejects.toThrow(
      'kickstart: apiKeys[0].tenantId: The [apiKey.tenantId] names no tenant.',
    );
  });
});

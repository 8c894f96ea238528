import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  dialects,
  failure,
  randomKey,
  startApp,
  TEST_KEY_ENCRYPTION_SECRET,
  TestApp,
} from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { insertKeyRow } from '../support/fixtures';

jest.setTimeout(120_000);

const NONE = null as unknown as string;
const NEXT_SECRET = 'the-next-key-encryption-secret-0123456789';
const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** What the table holds for a key, read past the application. */
async function storedValue(test: TestApp, id: string): Promise<string | null> {
  const rows: { key_value: string | null }[] = await test.app
    .get(DataSource)
    .query('SELECT key_value FROM api_keys WHERE id = ?', [id]);
  return rows[0]?.key_value ?? null;
}

/** `node dist/main.js --reseal-keys` with these settings: its exit code and what it printed. */
function reseal(database: TestDatabase, env: Record<string, string>) {
  const run = spawnSync(process.execPath, [MAIN, '--reseal-keys'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', DATABASE_URL: database.url, ...env },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout };
}

describe.each(dialects())('retrievable key values at rest (%s)', (dialect) => {
  it('stores a retrievable key sealed, shows it on retrieve, and authenticates by digest', async () => {
    const test = await startApp(dialect);
    try {
      const made = (await test.client().createAPIKey(NONE, { apiKey: { name: 'sealed' } })).response
        .apiKey!;
      const stored = await storedValue(test, made.id!);
      expect(stored).toMatch(/^pc1\.[0-9a-f]{8}\./);
      expect(stored).not.toContain(made.key!);
      expect((await test.client().retrieveAPIKey(made.id!)).response.apiKey!.key).toBe(made.key);
      expect((await test.client(made.key).retrieveTenants()).statusCode).toBe(200);
      // A value moved onto another row does not open there: the row id is bound in.
      const other = (await test.client().createAPIKey(NONE, { apiKey: { name: 'other' } })).response
        .apiKey!;
      await test.app
        .get(DataSource)
        .query('UPDATE api_keys SET key_value = ? WHERE id = ?', [stored, other.id]);
      expect((await test.client().retrieveAPIKey(other.id!)).response.apiKey!.key).toBeUndefined();
    } finally {
      await test.close();
    }
  });

  it('keeps entity client secrets sealed too, and the client-credentials grant takes them', async () => {
    const test = await startApp(dialect);
    try {
      const typeId = (
        await test.client().createEntityType(NONE, { entityType: { name: `t-${randomUUID()}` } })
      ).response.entityType!.id!;
      const entity = (
        await test
          .client(undefined, test.defaultTenantId)
          .createEntity(NONE, { entity: { name: 'sealed client', type: { id: typeId } } })
      ).response.entity!;
      const rows: { client_secret: string }[] = await test.app
        .get(DataSource)
        .query('SELECT client_secret FROM entities WHERE id = ?', [entity.id]);
      expect(rows[0].client_secret).toMatch(/^pc1\./);
      expect(rows[0].client_secret).not.toContain(entity.clientSecret!);
      expect(
        (await test.client(undefined, test.defaultTenantId).retrieveEntity(entity.id!)).response
          .entity!.clientSecret,
      ).toBe(entity.clientSecret);
      const token = await test
        .client(null)
        .clientCredentialsGrant(entity.clientId!, entity.clientSecret!, '');
      expect(token.statusCode).toBe(200);
      // The longest secret the API takes, in characters that take four bytes each, still fits sealed.
      const longest = '\u{1F511}'.repeat(127) + 'k';
      const chosen = (
        await test.client(undefined, test.defaultTenantId).createEntity(NONE, {
          entity: { name: 'long secret', type: { id: typeId }, clientSecret: longest },
        })
      ).response.entity!;
      expect(
        (await test.client(undefined, test.defaultTenantId).retrieveEntity(chosen.id!)).response
          .entity!.clientSecret,
      ).toBe(longest);
    } finally {
      await test.close();
    }
  });

  it('seals at boot the values an earlier version stored in plaintext', async () => {
    const database = await createTestDatabase(dialect);
    const first = await startApp(dialect, { database });
    const key = randomKey();
    const id = await insertKeyRow(first, key);
    expect(await storedValue(first, id)).toBe(key);
    await first.close();
    const second = await startApp(dialect, { database });
    try {
      const stored = await storedValue(second, id);
      expect(stored).toMatch(/^pc1\./);
      // Kickstart ran once, on the first boot: its manager key is the one that exists.
      const manager = second.client(first.managerKey);
      expect((await manager.retrieveAPIKey(id)).response.apiKey!.key).toBe(key);
      expect((await second.client(key).retrieveTenants()).statusCode).toBe(200);
    } finally {
      await second.close();
      await database.drop();
    }
  });

  it('rotates the secret with --reseal-keys, and says so when a value opens with no secret', async () => {
    const database = await createTestDatabase(dialect);
    const current =
      dialect === 'mysql' ? TEST_KEY_ENCRYPTION_SECRET : 'sqlite-explicit-secret-0123456789abcdef';
    const first = await startApp(dialect, { database, env: { KEY_ENCRYPTION_SECRET: current } });
    const made = (await first.client().createAPIKey(NONE, { apiKey: { name: 'rotated' } })).response
      .apiKey!;
    const before = await storedValue(first, made.id!);
    await first.close();
    // Without the old secret, nothing opens: the run says how many and fails.
    const blind = reseal(database, { KEY_ENCRYPTION_SECRET: NEXT_SECRET });
    expect(blind.status).toBe(1);
    expect(blind.stdout).toMatch(/open with no configured secret/);
    const rotated = reseal(database, {
      KEY_ENCRYPTION_SECRET: NEXT_SECRET,
      KEY_ENCRYPTION_SECRET_PREVIOUS: current,
    });
    expect(rotated).toEqual({
      status: 0,
      stdout: 'Every stored API key value and client secret is sealed under the current secret.\n',
    });
    const after = await startApp(dialect, {
      database,
      env: { KEY_ENCRYPTION_SECRET: NEXT_SECRET },
    });
    try {
      const stored = await storedValue(after, made.id!);
      expect(stored).not.toBe(before);
      expect(
        (await after.client(first.managerKey).retrieveAPIKey(made.id!)).response.apiKey!.key,
      ).toBe(made.key);
    } finally {
      await after.close();
    }
    // The old secret alone no longer opens it: the key still works, its value is not shown.
    const old = await startApp(dialect, { database, env: { KEY_ENCRYPTION_SECRET: current } });
    try {
      expect(
        (await old.client(first.managerKey).retrieveAPIKey(made.id!)).response.apiKey!.key,
      ).toBeUndefined();
      expect((await old.client(made.key).retrieveTenants()).statusCode).toBe(200);
    } finally {
      await old.close();
      await database.drop();
    }
  });

  if (dialect === 'sqlite') {
    it('makes <database file>.secret on first boot, readable by its owner only', async () => {
      const database = await createTestDatabase('sqlite');
      const test = await startApp('sqlite', { database });
      try {
        const file = `${database.url.replace(/^sqlite:/, '')}.secret`;
        expect(existsSync(file)).toBe(true);
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(test.watch.logLines().join('')).toContain(file);
      } finally {
        await test.close();
        await database.drop();
      }
    });
  } else {
    it('refuses a retrievable key without KEY_ENCRYPTION_SECRET, naming it, and takes others', async () => {
      const test = await startApp('mysql', { env: { KEY_ENCRYPTION_SECRET: '' } });
      try {
        const refused = await failure(test.client().createAPIKey(NONE, { apiKey: {} }));
        expect(refused.statusCode).toBe(400);
        expect(refused.exception).toEqual({
          generalErrors: [
            {
              code: '[KeyEncryptionSecretRequired]',
              message: expect.stringContaining('KEY_ENCRYPTION_SECRET') as string,
            },
          ],
        });
        const plain = await test
          .client()
          .createAPIKey(NONE, { apiKey: { name: `n-${randomUUID()}`, retrievable: false } });
        expect(plain.statusCode).toBe(200);
        const rows: { key_value: string | null }[] = await test.app
          .get(DataSource)
          .query('SELECT key_value FROM api_keys');
        expect(rows.every((row) => row.key_value === null)).toBe(true);
      } finally {
        await test.close();
      }
    });
  }
});

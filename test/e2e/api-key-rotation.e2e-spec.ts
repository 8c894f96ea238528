import { randomUUID } from 'node:crypto';
import { createKey, createTenant, dialects, randomKey, startApp, TestApp } from '../support/app';
import { rawRequest } from '../support/http';
import { DataSource } from 'typeorm';
import { ApiKeyRepository, paddedDigests } from '../../src/api-key/api-key.repository';
import { digestKey } from '../../src/auth/key-digest';

jest.setTimeout(60_000);

interface Rotated {
  apiKey: { id: string; key: string };
  previousKeyExpirationInstant: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(dialects())('API key rotation and last use (%s)', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect, { env: { API_KEY_LAST_USED_INTERVAL_SECONDS: '1' } });
  });
  afterAll(() => test?.close());

  const works = async (key: string) =>
    (await rawRequest(test.url, 'GET', '/api/system/version', { authorization: key })).status;

  async function rotate(id: string, body?: unknown, key = test.managerKey) {
    const response = await rawRequest(
      test.url,
      'POST',
      `/api/api-key/${id}/rotate`,
      body === undefined
        ? { authorization: key }
        : { authorization: key, 'content-type': 'application/json' },
      body === undefined ? undefined : JSON.stringify(body),
    );
    return {
      status: response.status,
      body: response.body === '' ? null : (JSON.parse(response.body) as Rotated),
    };
  }

  it('gives a key a new value at once; the old one stops at once without a grace', async () => {
    const made = await createKey(test, { name: `rotated-${randomUUID()}` });
    const before = Date.now();
    const rotated = await rotate(made.id);
    expect(rotated.status).toBe(200);
    const fresh = rotated.body!.apiKey.key;
    expect(fresh).not.toBe(made.key);
    expect(rotated.body!.apiKey.id).toBe(made.id);
    expect(rotated.body!.previousKeyExpirationInstant).toBeGreaterThanOrEqual(before);
    expect(await works(fresh)).toBe(200);
    expect(await works(made.key)).toBe(401);
    // Retrievable keys show their new value.
    expect((await test.client().retrieveAPIKey(made.id)).response.apiKey!.key).toBe(fresh);
  });

  it('keeps the old value working until the grace ends, then refuses it', async () => {
    const made = await createKey(test, { name: `graced-${randomUUID()}` });
    expect(await works(made.key)).toBe(200);
    const chosen = randomKey();
    const rotated = await rotate(made.id, { graceSeconds: 2, key: chosen });
    expect(rotated.status).toBe(200);
    expect(rotated.body!.apiKey.key).toBe(chosen);
    const graceEnd = rotated.body!.previousKeyExpirationInstant;
    expect(graceEnd - Date.now()).toBeGreaterThan(1_000);
    expect(await works(chosen)).toBe(200);
    expect(await works(made.key)).toBe(200);
    expect((await test.client().retrieveAPIKey(made.id)).response.apiKey).toMatchObject({
      previousKeyExpirationInstant: graceEnd,
    });
    await sleep(graceEnd - Date.now() + 50);
    expect(await works(made.key)).toBe(401);
    expect(await works(chosen)).toBe(200);
  });

  it('looks up digests in lookups of any size: current values, and previous ones only in their grace', async () => {
    const repository = test.app.get(ApiKeyRepository);
    const made = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createKey(test, { name: `looked-up-${i}-${randomUUID()}` }),
      ),
    );
    const graced = made[0];
    const rotated = await rotate(graced.id, { graceSeconds: 3600 });
    const graceEnd = rotated.body!.previousKeyExpirationInstant;
    const current = made.slice(1).map((key) => digestKey(key.key));
    current.push(digestKey(rotated.body!.apiKey.key));
    const previous = digestKey(graced.key);
    /** A digest with its letters' case swapped: MySQL's case-blind collations would match it. */
    const swapped = (digest: string) =>
      digest.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
    const unknown = Array.from({ length: 30 }, () => digestKey(randomKey()));
    const asked = [
      ...unknown.slice(0, 10),
      ...current,
      previous,
      swapped(previous),
      swapped(current[0]),
      ...unknown.slice(10),
      "' OR '1'='1",
    ];
    expect(paddedDigests(asked)).toHaveLength(64);

    const found = await repository.findRecordsByDigests(asked);
    expect([...found.keys()].sort()).toEqual([...current, previous].sort());
    expect(found.get(previous)).toMatchObject({ id: graced.id, expirationInstant: graceEnd });
    expect(found.get(current[current.length - 1])).toMatchObject({
      id: graced.id,
      expirationInstant: null,
    });
    // Each size alone, down to one: the same answers.
    for (const digest of [...current, previous]) {
      expect((await repository.findRecordsByDigests([digest])).has(digest)).toBe(true);
    }
    expect((await repository.findRecordsByDigests([swapped(previous)])).size).toBe(0);
    expect((await repository.findRecordsByDigests([])).size).toBe(0);

    // Past its grace, the previous value is found no more.
    await test.app
      .get(DataSource)
      .query('UPDATE api_keys SET previous_expiration_instant = ? WHERE id = ?', [
        Date.now() - 1_000,
        graced.id,
      ]);
    expect((await repository.findRecordsByDigests([previous, current[0]])).has(previous)).toBe(
      false,
    );
  });

  it('ends the first grace at once when the key is rotated again', async () => {
    const made = await createKey(test, { name: `twice-${randomUUID()}` });
    const first = await rotate(made.id, { graceSeconds: 3600 });
    const second = await rotate(made.id, { graceSeconds: 3600 });
    expect(await works(made.key)).toBe(401);
    expect(await works(first.body!.apiKey.key)).toBe(200);
    expect(await works(second.body!.apiKey.key)).toBe(200);
    // Deleting the key ends both of its values.
    await test.client().deleteAPIKey(made.id);
    expect(await works(first.body!.apiKey.key)).toBe(401);
    expect(await works(second.body!.apiKey.key)).toBe(401);
  });

  it('shows a non-retrievable key’s new value once, in the answer only', async () => {
    const made = await createKey(test, { name: `hidden-${randomUUID()}`, retrievable: false });
    const rotated = await rotate(made.id, {});
    expect(typeof rotated.body!.apiKey.key).toBe('string');
    expect((await test.client().retrieveAPIKey(made.id)).response.apiKey!.key).toBeUndefined();
  });

  it('holds rotation to the manager’s authority', async () => {
    const tenantA = await createTenant(test);
    const tenantB = await createTenant(test);
    const limitedManager = await createKey(test, {
      keyManager: true,
      permissions: { endpoints: { '/api/user': ['GET'] } },
    });
    const stronger = await createKey(test, {});
    expect((await rotate(stronger.id, {}, limitedManager.key)).status).toBe(401);
    expect(await works(stronger.key)).toBe(200);
    const scoped = await createKey(test, { keyManager: true, tenantId: tenantA });
    const foreign = await createKey(test, {}, tenantB);
    expect((await rotate(foreign.id, {}, scoped.key)).status).toBe(404);
    const own = await createKey(test, {}, tenantA);
    expect((await rotate(own.id, {}, scoped.key)).status).toBe(200);
    const plain = await createKey(test, {});
    expect((await rotate(plain.id, {}, plain.key)).status).toBe(401);
    expect((await rotate(randomUUID(), {})).status).toBe(404);
  });

  it.each([
    ['null', null, 400, '[couldNotParseJSON]'],
    ['a list', [1], 400, '[couldNotParseJSON]'],
    ['a grace over a week', { graceSeconds: 604_801 }, 400, '[invalid]graceSeconds'],
    ['a negative grace', { graceSeconds: -1 }, 400, '[invalid]graceSeconds'],
    ['a text grace', { graceSeconds: 'long' }, 400, '[couldNotConvert]graceSeconds'],
    ['a short key', { key: 'short' }, 400, '[tooShort]key'],
  ])('refuses %s', async (_, body, status, code) => {
    const made = await createKey(test, { name: `bad-${randomUUID()}` });
    const refused = await rotate(made.id, body);
    expect(refused.status).toBe(status);
    expect(JSON.stringify(refused.body)).toContain(code);
    expect(await works(made.key)).toBe(200);
  });

  it('refuses a new value another key has', async () => {
    const other = await createKey(test, { name: `taken-${randomUUID()}` });
    const made = await createKey(test, { name: `wants-${randomUUID()}` });
    const refused = await rotate(made.id, { key: other.key });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('[invalid]key');
  });

  it('writes down when a key was last used, within the interval, and sorts by it', async () => {
    const used = await createKey(test, { name: `used-${randomUUID()}` });
    const unused = await createKey(test, { name: `unused-${randomUUID()}` });
    const before = Date.now();
    expect(await works(used.key)).toBe(200);
    await sleep(1_500);
    const retrieved = (await test.client().retrieveAPIKey(used.id)).response.apiKey as Record<
      string,
      number
    >;
    expect(retrieved.lastUsedInstant).toBeGreaterThanOrEqual(before);
    expect(retrieved.lastUsedInstant).toBeLessThanOrEqual(Date.now());
    expect((await test.client().retrieveAPIKey(unused.id)).response.apiKey).not.toHaveProperty(
      'lastUsedInstant',
    );
    // Read-only: a value sent back is ignored.
    await test.client().patchAPIKey(used.id, { apiKey: { lastUsedInstant: 1 } as never });
    expect(
      ((await test.client().retrieveAPIKey(used.id)).response.apiKey as Record<string, number>)
        .lastUsedInstant,
    ).toBe(retrieved.lastUsedInstant);
    const sorted = (await (
      await test.http('/api/api-key?orderBy=lastUsedInstant&numberOfResults=500')
    ).json()) as {
      apiKeys: { id: string; lastUsedInstant?: number }[];
    };
    const instants = sorted.apiKeys.map((key) => key.lastUsedInstant ?? -1);
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
    expect(sorted.apiKeys.findIndex((key) => key.id === used.id)).toBeLessThan(
      sorted.apiKeys.findIndex((key) => key.id === unused.id),
    );
    expect((await test.http('/api/api-key?orderBy=age')).status).toBe(400);
  });

  it('writes the last use of more keys than one statement holds, and never moves it back', async () => {
    const keys = await Promise.all(
      [0, 1, 2].map(() => createKey(test, { name: `batch-${randomUUID()}` })),
    );
    // The three real ids land in three different statements among ids of no key.
    const ids: string[] = Array.from({ length: 1_201 }, () => randomUUID());
    keys.forEach((key, i) => (ids[i * 600] = key.id));
    const repository = test.app.get(ApiKeyRepository);
    const lastUse = async (id: string) =>
      ((await test.client().retrieveAPIKey(id)).response.apiKey as Record<string, number>)
        .lastUsedInstant;
    const instant = Date.now() + 3_600_000;
    await repository.recordUses(ids, instant);
    for (const key of keys) expect(await lastUse(key.id)).toBe(instant);
    await repository.recordUses(ids, instant - 1_000);
    for (const key of keys) expect(await lastUse(key.id)).toBe(instant);
    await repository.recordUses([], instant + 1);
    expect(await lastUse(keys[0].id)).toBe(instant);
  });
});

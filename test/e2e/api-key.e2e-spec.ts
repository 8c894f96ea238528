import { randomBytes, randomUUID } from 'node:crypto';
import {
  createKey,
  createTenant,
  dialects,
  failure,
  randomKey,
  startApp,
  TestApp,
} from '../support/app';
import { insertKeyRow } from '../support/fixtures';

describe.each(dialects())('API Key API on %s', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(() => test?.close());

  const NONE = null as unknown as string;

  it('creates a key with a generated 256-bit value that works at once', async () => {
    const created = await test.client().createAPIKey(NONE, {
      apiKey: {
        metaData: { attributes: { description: 'reader' } },
        permissions: { endpoints: { '/api/tenant': ['GET'] } },
      },
    });
    expect(created.statusCode).toBe(200);
    const apiKey = created.response.apiKey!;
    expect(apiKey.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      keyManager: false,
      retrievable: true,
      metaData: { attributes: { description: 'reader' } },
      permissions: { endpoints: { '/api/tenant': ['GET'] } },
    });
    expect(apiKey.tenantId).toBeUndefined();
    expect(typeof apiKey.insertInstant).toBe('number');
    const used = await test.client(apiKey.key).retrieveTenants();
    expect(used.statusCode).toBe(200);
    expect(
      (await failure(test.client(apiKey.key).createTenant(NONE, { tenant: { name: 'x' } })))
        .statusCode,
    ).toBe(401);
  });

  it('creates a key with a chosen id and value, then retrieves, updates, patches and deletes it', async () => {
    const id = randomUUID();
    const key = `chosen-${randomKey()}`;
    const created = await test.client().createAPIKey(id, { apiKey: { key, name: `named-${id}` } });
    expect(created.response.apiKey).toMatchObject({ id, key, name: `named-${id}` });

    const retrieved = await test.client().retrieveAPIKey(id);
    expect(retrieved.response.apiKey).toMatchObject({
      id,
      key,
      name: `named-${id}`,
      permissions: { endpoints: {} },
    });

    const updated = await test.client().updateAPIKey(id, {
      apiKey: {
        name: `renamed-${id}`,
        permissions: { endpoints: { '/api/tenant': ['GET', 'PUT'] } },
      },
    });
    expect(updated.response.apiKey).toMatchObject({
      name: `renamed-${id}`,
      permissions: { endpoints: { '/api/tenant': ['GET', 'PUT'] } },
    });

    const patched = await test
      .client()
      .patchAPIKey(id, { apiKey: { metaData: { attributes: { description: 'patched' } } } });
    expect(patched.response.apiKey).toMatchObject({
      name: `renamed-${id}`,
      metaData: { attributes: { description: 'patched' } },
      permissions: { endpoints: { '/api/tenant': ['GET', 'PUT'] } },
    });

    const deleted = await test.client().deleteAPIKey(id);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.response).toBeUndefined();
    expect((await failure(test.client().retrieveAPIKey(id))).statusCode).toBe(404);
    expect((await failure(test.client(key).retrieveTenants())).statusCode).toBe(401);
  });

  it('shows a key that is not retrievable only in the create response', async () => {
    const created = await test
      .client()
      .createAPIKey(NONE, { apiKey: { name: `hidden-${randomUUID()}`, retrievable: false } });
    const { id, key } = created.response.apiKey!;
    expect(key).toBeDefined();
    const retrieved = await test.client().retrieveAPIKey(id!);
    expect(retrieved.response.apiKey!.key).toBeUndefined();
    expect(retrieved.response.apiKey!.retrievable).toBe(false);
    expect((await test.client(key).retrieveTenants()).statusCode).toBe(200);
  });

  it('requires a name for a key that is not retrievable', async () => {
    const rejected = await failure(
      test.client().createAPIKey(NONE, { apiKey: { retrievable: false } }),
    );
    expect(rejected.statusCode).toBe(400);
    expect(rejected.exception).toEqual({
      fieldErrors: {
        'apiKey.name': [
          {
            code: '[blank]apiKey.name',
            message: 'A key that is not retrievable needs a [apiKey.name].',
          },
        ],
      },
    });
  });

  it('copies the permissions of a source key', async () => {
    const source = await createKey(test, {
      permissions: { endpoints: { '/api/tenant': ['GET'] } },
    });
    const copy = await test
      .client()
      .createAPIKey(NONE, { sourceKeyId: source.id, apiKey: { name: `copy-${source.id}` } });
    expect(copy.response.apiKey).toMatchObject({
      name: `copy-${source.id}`,
      permissions: { endpoints: { '/api/tenant': ['GET'] } },
    });
    expect(copy.response.apiKey!.key).not.toBe(source.key);
  });

  it('refuses to copy a key manager or a key that does not exist', async () => {
    for (const sourceKeyId of [randomUUID()]) {
      const rejected = await failure(test.client().createAPIKey(NONE, { sourceKeyId, apiKey: {} }));
      expect(rejected.statusCode).toBe(400);
      expect(Object.keys(rejected.exception!.fieldErrors!)).toEqual(['sourceKeyId']);
    }
  });

  it('rejects duplicates of name and id, and a key value in use, with field errors', async () => {
    const first = await test
      .client()
      .createAPIKey(NONE, { apiKey: { name: `dup-${randomUUID()}`, key: randomKey() } });
    const { id, name, key } = first.response.apiKey!;
    const byName = await failure(
      test.client().createAPIKey(NONE, { apiKey: { name: name!.toUpperCase() } }),
    );
    expect(byName.statusCode).toBe(400);
    expect(byName.exception).toMatchObject({
      fieldErrors: { 'apiKey.name': [{ code: '[duplicate]apiKey.name' }] },
    });
    const byKey = await failure(test.client().createAPIKey(NONE, { apiKey: { key } }));
    // A key value in use is refused without saying so: it may be another tenant's.
    expect(byKey.exception).toEqual({
      fieldErrors: {
        'apiKey.key': [
          { code: '[invalid]apiKey.key', message: 'The value of [apiKey.key] is invalid.' },
        ],
      },
    });
    const byId = await failure(test.client().createAPIKey(id!, { apiKey: {} }));
    expect(byId.exception).toMatchObject({
      fieldErrors: { keyId: [{ code: '[duplicate]keyId' }] },
    });
  });

  it('lets a manager make a manager, fixed afterwards and never copied', async () => {
    const made = (await test.client().createAPIKey(NONE, { apiKey: { keyManager: true } })).response
      .apiKey!;
    expect(made.keyManager).toBe(true);
    // The new manager manages: it lists keys and makes one.
    expect((await test.client(made.key).createAPIKey(NONE, { apiKey: {} })).statusCode).toBe(200);
    for (const change of [
      () => test.client().patchAPIKey(made.id!, { apiKey: { keyManager: false } }),
      () => test.client().updateAPIKey(made.id!, { apiKey: { keyManager: false } }),
    ]) {
      const refused = await failure(change());
      expect(refused.exception).toMatchObject({
        fieldErrors: { 'apiKey.keyManager': [{ code: '[notAllowed]apiKey.keyManager' }] },
      });
    }
    const lesser = (await test.client().createAPIKey(NONE, { apiKey: {} })).response.apiKey!;
    const demoted = await failure(
      test.client().patchAPIKey(lesser.id!, { apiKey: { keyManager: true } }),
    );
    expect(demoted.exception).toMatchObject({
      fieldErrors: { 'apiKey.keyManager': [{ code: '[notAllowed]apiKey.keyManager' }] },
    });
    const copied = await failure(
      test.client().createAPIKey(NONE, { sourceKeyId: made.id!, apiKey: {} }),
    );
    expect(copied.exception).toMatchObject({
      fieldErrors: { sourceKeyId: [{ code: '[invalid]sourceKeyId' }] },
    });
  });

  it('answers 400, never 500, for an unknown tenant or an unknown endpoint', async () => {
    const unknownTenant = await failure(
      test.client().createAPIKey(NONE, { apiKey: { tenantId: randomUUID() } }),
    );
    expect(unknownTenant.statusCode).toBe(400);
    expect(unknownTenant.exception).toMatchObject({
      fieldErrors: { 'apiKey.tenantId': [{ code: '[invalid]apiKey.tenantId' }] },
    });
    const endpoint = await failure(
      test.client().createAPIKey(NONE, {
        apiKey: {
          permissions: { endpoints: { '/api/nothing': ['GET'], '/api/user': ['FETCH'] } },
        },
      }),
    );
    expect(endpoint.statusCode).toBe(400);
    expect(endpoint.exception!.fieldErrors!['apiKey.permissions.endpoints']).toHaveLength(2);
  });

  it('refuses a chosen key shorter than 16 characters, and accepts one of 16', async () => {
    for (const key of ['z', 'k'.repeat(15)]) {
      const response = await test.http('/api/api-key', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey: { key } }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        fieldErrors: {
          'apiKey.key': [
            {
              code: '[tooShort]apiKey.key',
              message: 'The [apiKey.key] must be at least 16 characters long.',
            },
          ],
        },
      });
      expect((await test.http('/api/tenant', { key })).status).toBe(401);
    }
    const key = `16-${randomKey()}`.slice(0, 16);
    const created = await test.client().createAPIKey(NONE, { apiKey: { key } });
    expect(created.response.apiKey!.key).toBe(key);
    expect((await test.client(key).retrieveTenants()).statusCode).toBe(200);
  });

  it('takes back in a PUT the value of a short key an earlier version made', async () => {
    const id = randomUUID();
    const key = `old-${randomBytes(3).toString('hex')}`;
    await insertKeyRow(test, key, { id });
    const retrieved = (await test.client().retrieveAPIKey(id)).response.apiKey!;
    expect(retrieved.key).toBe(key);
    const updated = await test.client().updateAPIKey(id, {
      apiKey: { ...retrieved, metaData: { attributes: { description: 'renewed' } } },
    });
    expect(updated.response.apiKey).toMatchObject({
      key,
      metaData: { attributes: { description: 'renewed' } },
    });
    expect((await test.client(key).retrieveTenants()).statusCode).toBe(200);
  });

  it('keeps the tenant, the key and the retrievable flag fixed after creation', async () => {
    const tenantId = await createTenant(test);
    const { id } = await createKey(test, { tenantId });
    const retrieved = (await test.client().retrieveAPIKey(id)).response.apiKey!;
    const roundTrip = await test.client().updateAPIKey(id, { apiKey: retrieved });
    expect(roundTrip.response.apiKey).toMatchObject({ id, tenantId, key: retrieved.key });
    const moved = await failure(
      test.client().updateAPIKey(id, { apiKey: { ...retrieved, tenantId: test.defaultTenantId } }),
    );
    expect(moved.exception).toMatchObject({
      fieldErrors: { 'apiKey.tenantId': [{ code: '[notAllowed]apiKey.tenantId' }] },
    });
    const rekeyed = await failure(
      test.client().updateAPIKey(id, { apiKey: { ...retrieved, key: randomKey() } }),
    );
    expect(rekeyed.exception).toMatchObject({
      fieldErrors: { 'apiKey.key': [{ code: '[notAllowed]apiKey.key' }] },
    });
  });

  it('never turns a limited key into a super key: a null or empty PATCH or PUT is refused', async () => {
    const acl = await test.client().createIPAccessControlList(NONE, {
      ipAccessControlList: {
        name: `loopback-${randomUUID()}`,
        entries: [{ action: 'Allow' as never, startIPAddress: '*' }],
      },
    });
    const { id, key } = await createKey(test, {
      name: `limited-${randomUUID()}`,
      permissions: { endpoints: { '/api/tenant': ['GET'] } },
      ipAccessControlListId: acl.response.ipAccessControlList!.id,
      expirationInstant: Date.now() + 3_600_000,
    });
    const before = (await test.client().retrieveAPIKey(id)).response.apiKey;
    const client = test.client();
    const refusals = [
      client.patchAPIKey(id, null as never),
      client.updateAPIKey(id, null as never),
      client.updateAPIKey(id, {}),
      client.updateAPIKey(id, { apiKey: null as never }),
      client.patchAPIKey(id, { apiKey: null as never }),
    ];
    const codes = await Promise.all(
      refusals.map(async (call) => {
        const refused = await failure(call);
        return [refused.statusCode, refused.exception];
      }),
    );
    const unparseable = [
      400,
      { generalErrors: [expect.objectContaining({ code: '[couldNotParseJSON]' })] },
    ];
    const missing = [
      400,
      { fieldErrors: { apiKey: [expect.objectContaining({ code: '[missing]apiKey' })] } },
    ];
    expect(codes).toEqual([unparseable, unparseable, missing, missing, missing]);
    expect((await test.client().retrieveAPIKey(id)).response.apiKey).toEqual(before);
    expect((await failure(test.client(key).retrieveApplications())).statusCode).toBe(401);
    const patched = await test.client().patchAPIKey(id, {});
    expect(patched.response.apiKey).toEqual({ ...before, lastUpdateInstant: expect.any(Number) });
  });

  it('clears the expiration when a PUT omits it, and refuses a key once it has expired', async () => {
    const { id, key } = await createKey(test, { expirationInstant: Date.now() + 3_600_000 });
    expect((await test.client(key).retrieveTenants()).statusCode).toBe(200);
    const cleared = await test.client().updateAPIKey(id, { apiKey: {} });
    expect(cleared.response.apiKey!.expirationInstant).toBeUndefined();
    await test.client().patchAPIKey(id, { apiKey: { expirationInstant: Date.now() - 1 } });
    expect((await failure(test.client(key).retrieveTenants())).statusCode).toBe(401);
  });

  it('lets only key managers call the API Key API', async () => {
    const { key } = await createKey(test, {});
    const calls: (() => Promise<unknown>)[] = [
      () => test.client(key).createAPIKey(NONE, { apiKey: {} }),
      () => test.client(key).retrieveAPIKey(randomUUID()),
      () => test.client(key).deleteAPIKey(randomUUID()),
    ];
    for (const call of calls) {
      const rejected = await failure(call() as never);
      expect(rejected.statusCode).toBe(401);
      expect(rejected.exception).toBeUndefined();
    }
  });

  it('lists the keys the caller may see, paginated (Portcullis extension)', async () => {
    for (let i = 0; i < 3; i++) await createKey(test, { name: `page-${i}-${randomUUID()}` });
    const all = (await (await test.http('/api/api-key')).json()) as {
      apiKeys: { id: string }[];
      total: number;
    };
    expect(all.total).toBeGreaterThanOrEqual(4);
    const page = await test.http('/api/api-key?startRow=1&numberOfResults=2');
    expect(page.status).toBe(200);
    const body = (await page.json()) as { apiKeys: { id: string }[]; total: number };
    expect(body.total).toBe(all.total);
    expect(body.apiKeys.map((key) => key.id)).toEqual(all.apiKeys.slice(1, 3).map((key) => key.id));
    expect((await test.http('/api/api-key?numberOfResults=abc')).status).toBe(400);
  });
});

import { KeyAlgorithm } from '@fusionauth/typescript-client';
import { randomUUID } from 'node:crypto';
import { createKey, createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { seedEntity, seedEntityType, uniqueName } from '../support/fixtures';

const NONE = null as unknown as string;
const UNSET = undefined as unknown as string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_FOUND = { statusCode: 404, exception: undefined };
const REFUSED = { statusCode: 401, exception: undefined };
const INSTANT = expect.any(Number) as number;

describe.each(dialects())('Entity Type API on %s', (dialect) => {
  let test: TestApp;
  let keyId: string;

  beforeAll(async () => {
    test = await startApp(dialect);
    const key = await test.client().generateKey(NONE, {
      key: { algorithm: KeyAlgorithm.HS256, name: uniqueName('entity-key') },
    });
    keyId = key.response.key!.id!;
  });
  afterAll(() => test?.close());

  it('creates a type with permissions and a jwtConfiguration, and retrieves it', async () => {
    const name = uniqueName('Customer');
    const created = await test.client().createEntityType(NONE, {
      entityType: {
        name,
        data: { tier: 1 },
        jwtConfiguration: { enabled: true, accessTokenKeyId: keyId, timeToLiveInSeconds: 600 },
        permissions: [
          { name: 'read', description: 'Reads', isDefault: true },
          { name: 'write', data: { x: 1 } },
        ],
      },
    });
    expect(created.statusCode).toBe(200);
    const type = created.response.entityType!;
    expect(type).toEqual({
      id: expect.stringMatching(UUID) as string,
      name,
      data: { tier: 1 },
      jwtConfiguration: { enabled: true, accessTokenKeyId: keyId, timeToLiveInSeconds: 600 },
      permissions: [
        {
          id: expect.stringMatching(UUID) as string,
          name: 'read',
          description: 'Reads',
          isDefault: true,
          data: {},
          insertInstant: type.insertInstant,
          lastUpdateInstant: type.insertInstant,
        },
        {
          id: expect.stringMatching(UUID) as string,
          name: 'write',
          isDefault: false,
          data: { x: 1 },
          insertInstant: type.insertInstant,
          lastUpdateInstant: type.insertInstant,
        },
      ],
      insertInstant: INSTANT,
      lastUpdateInstant: type.insertInstant,
    });
    expect((await test.client().retrieveEntityType(type.id!)).response).toEqual({
      entityType: type,
    });
    expect((await test.client().retrieveEntityTypes()).response.entityTypes).toContainEqual(type);
  });

  it('creates with a chosen id; refuses the id again, the name in any case, and bad input', async () => {
    const id = randomUUID();
    const name = uniqueName('Chosen');
    const created = await test.client().createEntityType(id, { entityType: { name } });
    expect(created.response.entityType).toEqual({
      id,
      name,
      data: {},
      jwtConfiguration: { enabled: false },
      permissions: [],
      insertInstant: INSTANT,
      lastUpdateInstant: INSTANT,
    });
    const codes = async (entityTypeId: string | null, entityType: object) => {
      const refused = await failure(
        test.client().createEntityType(entityTypeId as string, { entityType }),
      );
      expect(refused.statusCode).toBe(400);
      return Object.keys(refused.exception!.fieldErrors!).sort();
    };
    expect(await codes(id, { name: uniqueName('other') })).toEqual(['entityTypeId']);
    expect(await codes(null, { name: name.toUpperCase() })).toEqual(['entityType.name']);
    expect(await codes(null, {})).toEqual(['entityType.name']);
    expect(await codes(null, { name: 'x', jwtConfiguration: { enabled: true } })).toEqual([
      'entityType.jwtConfiguration.accessTokenKeyId',
      'entityType.jwtConfiguration.timeToLiveInSeconds',
    ]);
    const unknownKey = await failure(
      test.client().createEntityType(NONE, {
        entityType: {
          name: uniqueName('x'),
          jwtConfiguration: {
            enabled: true,
            accessTokenKeyId: randomUUID(),
            timeToLiveInSeconds: 5,
          },
        },
      }),
    );
    expect(unknownKey.exception).toEqual({
      fieldErrors: {
        'entityType.jwtConfiguration.accessTokenKeyId': [
          {
            code: '[invalid]entityType.jwtConfiguration.accessTokenKeyId',
            message: 'The [entityType.jwtConfiguration.accessTokenKeyId] names no key.',
          },
        ],
      },
    });
    expect(await codes(null, { name: 'dup', permissions: [{ name: 'a' }, { name: 'a' }] })).toEqual(
      ['entityType.permissions'],
    );
    expect(await codes(null, { name: 'bad\u0000name' })).toEqual(['entityType.name']);
    expect(await codes(null, { name: 'x'.repeat(192) })).toEqual(['entityType.name']);
  });

  it('replaces on PUT and merges on PATCH, keeping its permissions', async () => {
    const { entityTypeId } = await seedEntityType(test);
    const name = uniqueName('Renamed');
    const updated = await test.client().updateEntityType(entityTypeId, {
      entityType: {
        name,
        data: { a: 1 },
        jwtConfiguration: { enabled: true, accessTokenKeyId: keyId, timeToLiveInSeconds: 60 },
      },
    });
    const type = updated.response.entityType!;
    expect(type).toMatchObject({
      id: entityTypeId,
      name,
      data: { a: 1 },
      jwtConfiguration: { enabled: true, accessTokenKeyId: keyId, timeToLiveInSeconds: 60 },
    });
    expect(type.permissions!.map((p) => p.name)).toEqual(['read', 'write']);
    const patched = await test.client().patchEntityType(entityTypeId, {
      entityType: { data: { b: 2 }, jwtConfiguration: { enabled: false } },
    });
    expect(patched.response.entityType).toMatchObject({
      name,
      data: { a: 1, b: 2 },
      jwtConfiguration: { enabled: false, accessTokenKeyId: keyId, timeToLiveInSeconds: 60 },
    });
    expect(
      await failure(test.client().updateEntityType(randomUUID(), { entityType: { name: 'n' } })),
    ).toEqual(NOT_FOUND);
  });

  it('searches by name with wildcards, by POST and by GET, with paging and order', async () => {
    const prefix = uniqueName('Searchable');
    for (const suffix of ['b', 'a', 'c'])
      await test.client().createEntityType(NONE, { entityType: { name: `${prefix}-${suffix}` } });
    const byPost = await test.client().searchEntityTypes({
      search: { name: `${prefix}*`, numberOfResults: 2, startRow: 0, orderBy: 'name DESC' },
    });
    expect(byPost.response.total).toBe(3);
    expect(byPost.response.entityTypes!.map((type) => type.name)).toEqual([
      `${prefix}-c`,
      `${prefix}-b`,
    ]);
    const byGet = await test
      .client()
      .searchEntityTypesByParameters(prefix, UNSET as unknown as number, UNSET, 2);
    expect(byGet.response.total).toBe(3);
    expect(byGet.response.entityTypes!.map((type) => type.name)).toEqual([`${prefix}-c`]);
    const everything = await test.client().searchEntityTypes({ search: { name: '*' } });
    expect(everything.response.total).toBeGreaterThanOrEqual(3);
    const badOrder = await failure(
      test.client().searchEntityTypes({ search: { orderBy: 'secret; DROP TABLE' } }),
    );
    expect(badOrder.statusCode).toBe(400);
  });

  describe('permissions', () => {
    it('creates, updates, patches and deletes by id and by name', async () => {
      const { entityTypeId } = await seedEntityType(test);
      const id = randomUUID();
      const created = await test.client().createEntityTypePermission(entityTypeId, id, {
        permission: { name: 'admin', description: 'All', isDefault: false, data: { a: 1 } },
      });
      expect(created.statusCode).toBe(200);
      expect(created.response).toEqual({
        permission: {
          id,
          name: 'admin',
          description: 'All',
          isDefault: false,
          data: { a: 1 },
          insertInstant: INSTANT,
          lastUpdateInstant: INSTANT,
        },
      });
      const again = await failure(
        test
          .client()
          .createEntityTypePermission(entityTypeId, NONE, { permission: { name: 'admin' } }),
      );
      expect(again.exception).toEqual({
        fieldErrors: {
          'permission.name': [
            {
              code: '[duplicate]permission.name',
              message: 'The value of [permission.name] is already in use.',
            },
          ],
        },
      });
      const updated = await test.client().updateEntityTypePermission(entityTypeId, id, {
        permission: { name: 'admin', isDefault: true },
      });
      expect(updated.response.permission).toMatchObject({
        name: 'admin',
        isDefault: true,
        data: {},
      });
      expect(updated.response.permission!.description).toBeUndefined();
      const renamed = await failure(
        test
          .client()
          .updateEntityTypePermission(entityTypeId, id, { permission: { name: 'root' } }),
      );
      expect(Object.keys(renamed.exception!.fieldErrors!)).toEqual(['permission.name']);
      expect(renamed.exception!.fieldErrors!['permission.name'][0].code).toBe(
        '[invalid]permission.name',
      );
      const patched = await test.client().patchEntityTypePermission(entityTypeId, id, {
        permission: { description: 'Everything' },
      });
      expect(patched.response.permission).toMatchObject({
        name: 'admin',
        isDefault: true,
        description: 'Everything',
      });

      expect((await test.client().deleteEntityTypePermission(entityTypeId, id)).statusCode).toBe(
        200,
      );
      expect(await failure(test.client().deleteEntityTypePermission(entityTypeId, id))).toEqual(
        NOT_FOUND,
      );
      const byName = await test.http(`/api/entity/type/${entityTypeId}/permission?name=write`, {
        method: 'DELETE',
      });
      expect({ status: byName.status, body: await byName.text() }).toEqual({
        status: 200,
        body: '',
      });
      const left = (await test.client().retrieveEntityType(entityTypeId)).response.entityType!;
      expect(left.permissions!.map((p) => p.name)).toEqual(['read']);
      const other = await seedEntityType(test);
      // Another type's permission, named under this type, is not found.
      expect(
        await failure(test.client().deleteEntityTypePermission(entityTypeId, other.writeId)),
      ).toEqual(NOT_FOUND);
    });

    it('takes a deleted permission out of the grants that held it', async () => {
      const tenantId = await createTenant(test);
      const target = await seedEntity(test, tenantId);
      const recipient = await seedEntity(test, tenantId, target.entityTypeId);
      const client = test.client(test.managerKey, tenantId);
      await client.upsertEntityGrant(target.entityId, {
        grant: { recipientEntityId: recipient.entityId, permissions: ['read', 'write'] },
      });
      await test
        .client()
        .deleteEntityTypePermission(
          target.entityTypeId,
          (
            await test.client().retrieveEntityType(target.entityTypeId)
          ).response.entityType!.permissions!.find((p) => p.name === 'write')!.id!,
        );
      const grant = await client.retrieveEntityGrant(target.entityId, recipient.entityId, UNSET);
      expect(grant.response.grant!.permissions).toEqual(['read']);
    });
  });

  it('refuses to delete a type that entities have, then deletes it', async () => {
    const { entityTypeId } = await seedEntityType(test);
    const { entityId } = await seedEntity(test, test.defaultTenantId, entityTypeId);
    const refused = await failure(test.client().deleteEntityType(entityTypeId));
    expect(refused).toEqual({
      statusCode: 400,
      exception: {
        generalErrors: [
          {
            code: '[entityTypeInUse]',
            message:
              'The entity type is the type of one or more entities. Delete those entities before deleting it.',
          },
        ],
      },
    });
    await test.client().deleteEntity(entityId);
    const deleted = await test.client().deleteEntityType(entityTypeId);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.response).toBeUndefined();
    expect(await failure(test.client().retrieveEntityType(entityTypeId))).toEqual(NOT_FOUND);
    expect(await failure(test.client().deleteEntityType(entityTypeId))).toEqual(NOT_FOUND);
  });

  it('keeps a signing key an entity type names from being deleted', async () => {
    const key = await test.client().generateKey(NONE, {
      key: { algorithm: KeyAlgorithm.HS256, name: uniqueName('held') },
    });
    const heldId = key.response.key!.id!;
    const type = await test.client().createEntityType(NONE, {
      entityType: {
        name: uniqueName('Signed'),
        jwtConfiguration: { enabled: true, accessTokenKeyId: heldId, timeToLiveInSeconds: 60 },
      },
    });
    const refused = await failure(test.client().deleteKey(heldId));
    expect(refused.statusCode).toBe(400);
    expect(refused.exception!.fieldErrors!.keyId[0]).toEqual({
      code: '[invalid]keyId',
      message: `The key is in use by entity type [${type.response.entityType!.id}] (accessTokenKeyId). Name another key there before deleting it.`,
    });
    await test.client().deleteEntityType(type.response.entityType!.id!);
    expect((await test.client().deleteKey(heldId)).statusCode).toBe(200);
  });

  it('is global-only: a tenant-scoped key or a tenant header gets 401', async () => {
    const { entityTypeId } = await seedEntityType(test);
    const scoped = (await createKey(test, { tenantId: test.defaultTenantId })).key;
    expect(await failure(test.client(scoped).retrieveEntityType(entityTypeId))).toEqual(REFUSED);
    expect(await failure(test.client(scoped).retrieveEntityTypes())).toEqual(REFUSED);
    expect(
      await failure(
        test.client(scoped).createEntityTypePermission(entityTypeId, NONE, {
          permission: { name: 'p' },
        }),
      ),
    ).toEqual(REFUSED);
    expect(
      await failure(
        test.client(test.managerKey, test.defaultTenantId).retrieveEntityType(entityTypeId),
      ),
    ).toEqual(REFUSED);
  });
});

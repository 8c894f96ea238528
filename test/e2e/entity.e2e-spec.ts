import { Sort, type Entity } from '@fusionauth/typescript-client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EntityGrantRepository } from '../../src/entity/entity-grant.repository';
import { EntityRow } from '../../src/entity/entity.entity';
import { EntityRepository } from '../../src/entity/entity.repository';
import { EntityTypeRepository } from '../../src/entity/entity-type.repository';
import { ChangeHub } from '../../src/key-cache/change.hub';
import type { ChangeEvent } from '../../src/key-cache/key-change.bus';
import { createKey, createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { seedEntityType, seedUser, uniqueName } from '../support/fixtures';

const NONE = null as unknown as string;
const UNSET = undefined as unknown as string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const NOT_FOUND = { statusCode: 404, exception: undefined };
const INSTANT = expect.any(Number) as number;

/** Each change once: the replica applies its own, then hears it again from the bus. */
const distinct = (events: ChangeEvent[]) =>
  [...new Set(events.map((event) => JSON.stringify(event)))].map(
    (text) => JSON.parse(text) as ChangeEvent,
  );

describe.each(dialects())('Entity and Grant APIs on %s', (dialect) => {
  let test: TestApp;
  let tenantA: string;
  let tenantB: string;
  let typeId: string;
  let typeJson: unknown;
  const inA = () => test.client(test.managerKey, tenantA);
  const inB = () => test.client(test.managerKey, tenantB);
  const events: ChangeEvent[] = [];

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantA = await createTenant(test);
    tenantB = await createTenant(test);
    typeId = (await seedEntityType(test)).entityTypeId;
    typeJson = (await test.client().retrieveEntityType(typeId)).response.entityType;
    test.app.get(ChangeHub).listen({
      onChange: (message) => events.push(message.event),
      onResync: () => undefined,
    });
  });
  afterAll(() => test?.close());

  /** An entity of tenant A (or the client's); its secret is watched for in the log. */
  const create = async (client = inA(), entity: Partial<Entity> = {}): Promise<Entity> => {
    const created = (
      await client.createEntity(NONE, {
        entity: { name: uniqueName('Raviga'), type: { id: typeId }, ...entity },
      })
    ).response.entity!;
    test.watch.add(created.clientSecret!);
    return created;
  };

  describe('entities', () => {
    it('creates an entity with a generated client id and secret, and retrieves it', async () => {
      const name = uniqueName('Raviga');
      const created = await inA().createEntity(NONE, {
        entity: { name, type: { id: typeId }, data: { tier: 'gold' } },
      });
      expect(created.statusCode).toBe(200);
      const entity = created.response.entity!;
      test.watch.add(entity.clientSecret!);
      expect(entity).toEqual({
        id: expect.stringMatching(UUID) as string,
        tenantId: tenantA,
        name,
        type: typeJson,
        clientId: entity.id,
        clientSecret: expect.stringMatching(SECRET) as string,
        data: { tier: 'gold' },
        insertInstant: INSTANT,
        lastUpdateInstant: entity.insertInstant,
      });
      expect((await test.client().retrieveEntity(entity.id!)).response).toEqual({ entity });
      expect((await inA().retrieveEntity(entity.id!)).response).toEqual({ entity });
    });

    it('takes a chosen id, client id and secret; refuses duplicates in any tenant', async () => {
      const id = randomUUID();
      const clientId = uniqueName('client');
      const entity = await inA().createEntity(id, {
        entity: { name: 'Chosen', type: { id: typeId }, clientId, clientSecret: 's3cret-value' },
      });
      expect(entity.response.entity).toMatchObject({ id, clientId, clientSecret: 's3cret-value' });
      const again = await failure(
        inB().createEntity(id, { entity: { name: 'x', type: { id: typeId } } }),
      );
      expect(again.exception).toEqual({
        fieldErrors: {
          entityId: [
            { code: '[duplicate]entityId', message: 'The value of [entityId] is already in use.' },
          ],
        },
      });
      const sameClient = await failure(
        inB().createEntity(NONE, { entity: { name: 'x', type: { id: typeId }, clientId } }),
      );
      expect(sameClient.exception).toEqual({
        fieldErrors: {
          'entity.clientId': [
            {
              code: '[duplicate]entity.clientId',
              message: 'The value of [entity.clientId] is already in use.',
            },
          ],
        },
      });
    });

    it('refuses a missing or unknown type, a blank name, and an ambiguous tenant', async () => {
      const codes = async (entity: object) => {
        const refused = await failure(inA().createEntity(NONE, { entity }));
        expect(refused.statusCode).toBe(400);
        return Object.values(refused.exception!.fieldErrors!)
          .flat()
          .map((error) => error.code)
          .sort();
      };
      expect(await codes({ name: 'x' })).toEqual(['[blank]entity.type.id']);
      expect(await codes({ name: 'x', type: { id: randomUUID() } })).toEqual([
        '[invalid]entity.type.id',
      ]);
      expect(await codes({ name: ' ', type: { id: 'nope' } })).toEqual([
        '[blank]entity.name',
        '[couldNotConvert]entity.type.id',
      ]);
      expect(await codes({ name: 'x', type: { id: typeId }, parentId: randomUUID() })).toEqual([
        '[invalid]entity.parentId',
      ]);
      const ambiguous = await failure(
        test.client().createEntity(NONE, { entity: { name: 'x', type: { id: typeId } } }),
      );
      expect(ambiguous.statusCode).toBe(400);
      expect(ambiguous.exception!.generalErrors![0].code).toBe('[TenantIdRequired]');
      const hostile = await create(inA(), { name: "'; DROP TABLE entities; -- 😀 İ" });
      expect(hostile.name).toBe("'; DROP TABLE entities; -- 😀 İ");
    });

    it('replaces on PUT (a blank secret keeps the old one), merges on PATCH, and deletes', async () => {
      const entity = await create();
      events.length = 0;
      const updated = await inA().updateEntity(entity.id!, {
        entity: { name: 'Renamed', type: { id: typeId }, clientSecret: '', data: { a: 1 } },
      });
      expect(updated.response.entity).toEqual({
        ...entity,
        name: 'Renamed',
        data: { a: 1 },
        lastUpdateInstant: INSTANT,
      });
      expect(events).toContainEqual({ type: 'entity.changed', entityId: entity.id });
      const patched = await inA().patchEntity(entity.id!, {
        entity: { data: { b: 2 }, clientSecret: 'rotated-secret' },
      });
      expect(patched.response.entity).toMatchObject({
        name: 'Renamed',
        clientId: entity.clientId,
        clientSecret: 'rotated-secret',
        data: { a: 1, b: 2 },
      });
      const otherType = (await seedEntityType(test)).entityTypeId;
      const retyped = await failure(
        inA().updateEntity(entity.id!, { entity: { name: 'x', type: { id: otherType } } }),
      );
      expect(retyped.exception!.fieldErrors!['entity.type.id'][0].code).toBe(
        '[invalid]entity.type.id',
      );
      events.length = 0;
      const deleted = await inA().deleteEntity(entity.id!);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();
      expect(distinct(events)).toEqual([{ type: 'entity.changed', entityId: entity.id }]);
      expect(await failure(inA().retrieveEntity(entity.id!))).toEqual(NOT_FOUND);
      expect(await failure(inA().deleteEntity(entity.id!))).toEqual(NOT_FOUND);
    });

    it('answers 404 for another tenant’s entity', async () => {
      const entity = await create();
      const scopedB = (await createKey(test, { tenantId: tenantB })).key;
      const body = { entity: { name: 'x', type: { id: typeId } } };
      for (const client of [inB(), test.client(scopedB)]) {
        expect(await failure(client.retrieveEntity(entity.id!))).toEqual(NOT_FOUND);
        expect(await failure(client.updateEntity(entity.id!, body))).toEqual(NOT_FOUND);
        expect(await failure(client.patchEntity(entity.id!, body))).toEqual(NOT_FOUND);
        expect(await failure(client.deleteEntity(entity.id!))).toEqual(NOT_FOUND);
        const found = await client.searchEntitiesByIds([entity.id!]);
        expect(found.response).toEqual({ entities: [], total: 0 });
      }
      expect((await inA().retrieveEntity(entity.id!)).statusCode).toBe(200);
    });

    it('searches by query string, by ids, by POST and GET, with paging', async () => {
      const tenantId = await createTenant(test);
      const client = test.client(test.managerKey, tenantId);
      const prefix = uniqueName('Findable');
      const made: Entity[] = [];
      for (const suffix of ['b', 'a', 'c'])
        made.push(await create(client, { name: `${prefix}-${suffix}` }));
      const all = await client.searchEntities({ search: { queryString: '*' } });
      expect(all.response.total).toBe(3);
      expect(all.response.entities!.map((entity) => entity.name)).toEqual(
        ['a', 'b', 'c'].map((suffix) => `${prefix}-${suffix}`),
      );
      const page = await client.searchEntities({
        search: {
          queryString: `${prefix}*`,
          numberOfResults: 1,
          startRow: 1,
          sortFields: [{ name: 'name', order: Sort.desc }],
        },
      });
      expect(page.response).toEqual({
        entities: [expect.objectContaining({ name: `${prefix}-b` })],
        total: 3,
      });
      // Text without a wildcard matches names that contain it (here: not at the start).
      const contains = await client.searchEntities({
        search: { queryString: `${prefix.slice(-4)}-c` },
      });
      expect(contains.response.entities!.map((entity) => entity.id)).toEqual([made[2].id]);
      const byIds = await client.searchEntitiesByIds([made[0].id!, made[1].id!, randomUUID()]);
      expect(byIds.response.total).toBe(2);
      expect(byIds.response.entities).toEqual(expect.arrayContaining([made[0], made[1]]));
      const byGet = await test.http(`/api/entity/search?queryString=${prefix}-a`, {
        headers: { 'x-fusionauth-tenantid': tenantId },
      });
      expect(await byGet.json()).toEqual({ entities: [made[1]], total: 1 });
      const badIds = await test.http('/api/entity/search?ids=nope');
      expect(badIds.status).toBe(400);
      const badSort = await failure(
        client.searchEntities({ search: { sortFields: [{ name: 'clientSecret' }] } }),
      );
      expect(badSort.statusCode).toBe(400);
      const refreshed = await client.refreshEntitySearchIndex();
      expect(refreshed.statusCode).toBe(200);
    });
  });

  describe('grants', () => {
    let target: Entity;
    let recipient: Entity;

    beforeEach(async () => {
      target = await create();
      recipient = await create();
    });

    it('upserts a grant to an entity (200, no body) and retrieves it', async () => {
      events.length = 0;
      const upserted = await inA().upsertEntityGrant(target.id!, {
        grant: { recipientEntityId: recipient.id, permissions: ['read', 'write'], data: { a: 1 } },
      });
      expect(upserted.statusCode).toBe(200);
      expect(upserted.response).toBeUndefined();
      expect(distinct(events)).toEqual([
        { type: 'entity.changed', entityId: target.id },
        { type: 'entity.changed', entityId: recipient.id },
      ]);
      const retrieved = await inA().retrieveEntityGrant(target.id!, recipient.id!, UNSET);
      const grant = retrieved.response.grant!;
      expect(grant).toEqual({
        id: expect.stringMatching(UUID) as string,
        entity: target,
        recipientEntityId: recipient.id,
        permissions: ['read', 'write'],
        data: { a: 1 },
        insertInstant: INSTANT,
        lastUpdateInstant: grant.insertInstant,
      });
      const raw = await test.http(`/api/entity/${target.id}/grant`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant: { recipientEntityId: recipient.id, permissions: ['write'] },
        }),
      });
      expect({
        status: raw.status,
        type: raw.headers.get('content-type'),
        body: await raw.text(),
      }).toEqual({ status: 200, type: null, body: '' });
      const again = (await inA().retrieveEntityGrant(target.id!, recipient.id!, UNSET)).response
        .grant!;
      expect(again).toMatchObject({ id: grant.id, permissions: ['write'], data: {} });
      expect(
        await test.app.get(EntityGrantRepository).permissionsGranted(target.id!, recipient.id!),
      ).toEqual(['write']);
      expect(
        await test.app.get(EntityGrantRepository).permissionsGranted(recipient.id!, target.id!),
      ).toBeNull();
    });

    it('grants a user the type’s default permissions when none are named', async () => {
      const userId = await seedUser(test, tenantA);
      await inA().upsertEntityGrant(target.id!, { grant: { userId } });
      const grant = (await inA().retrieveEntityGrant(target.id!, UNSET, userId)).response.grant!;
      expect(grant).toMatchObject({ userId, permissions: ['read'] });
      expect(grant.recipientEntityId).toBeUndefined();
      const list = await inA().retrieveEntityGrant(target.id!, UNSET, UNSET);
      expect((list.response as unknown as { grants: unknown[] }).grants).toEqual([grant]);
    });

    it('refuses both or neither grantee, unknown permissions, and grantees of another tenant', async () => {
      const codes = async (grant: object, entityId = target.id!, client = inA()) => {
        const refused = await failure(client.upsertEntityGrant(entityId, { grant }));
        expect(refused.statusCode).toBe(400);
        return Object.values(refused.exception!.fieldErrors!)
          .flat()
          .map((error) => error.code)
          .sort();
      };
      const userId = await seedUser(test, tenantA);
      expect(await codes({})).toEqual(['[blank]grant.recipientEntityId', '[blank]grant.userId']);
      expect(await codes({ userId, recipientEntityId: recipient.id })).toEqual([
        '[invalid]grant.recipientEntityId',
      ]);
      expect(await codes({ recipientEntityId: recipient.id, permissions: ['delete'] })).toEqual([
        '[invalid]grant.permissions',
      ]);
      const foreign = await create(inB());
      expect(await codes({ recipientEntityId: foreign.id })).toEqual([
        '[invalid]grant.recipientEntityId',
      ]);
      expect(await codes({ userId: await seedUser(test, tenantB) })).toEqual([
        '[invalid]grant.userId',
      ]);
      expect(await codes({ recipientEntityId: randomUUID() })).toEqual([
        '[invalid]grant.recipientEntityId',
      ]);
      // From tenant B, tenant A's target does not exist.
      const scopedB = (await createKey(test, { tenantId: tenantB })).key;
      expect(
        await failure(
          test.client(scopedB).upsertEntityGrant(target.id!, {
            grant: { recipientEntityId: foreign.id },
          }),
        ),
      ).toEqual(NOT_FOUND);
      expect(
        await failure(test.client(scopedB).retrieveEntityGrant(target.id!, recipient.id!, UNSET)),
      ).toEqual(NOT_FOUND);
      expect(
        await failure(test.client(scopedB).deleteEntityGrant(target.id!, recipient.id!, UNSET)),
      ).toEqual(NOT_FOUND);
      // And B's target cannot name A's recipient.
      expect(
        await codes({ recipientEntityId: recipient.id }, foreign.id, test.client(scopedB)),
      ).toEqual(['[invalid]grant.recipientEntityId']);
    });

    it('deletes a grant (200, empty), then answers 404', async () => {
      await inA().upsertEntityGrant(target.id!, { grant: { recipientEntityId: recipient.id } });
      events.length = 0;
      const deleted = await inA().deleteEntityGrant(target.id!, recipient.id!, UNSET);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();
      expect(distinct(events)).toEqual([
        { type: 'entity.changed', entityId: target.id },
        { type: 'entity.changed', entityId: recipient.id },
      ]);
      expect(await failure(inA().retrieveEntityGrant(target.id!, recipient.id!, UNSET))).toEqual(
        NOT_FOUND,
      );
      expect(await failure(inA().deleteEntityGrant(target.id!, recipient.id!, UNSET))).toEqual(
        NOT_FOUND,
      );
      const neither = await failure(inA().deleteEntityGrant(target.id!, UNSET, UNSET));
      expect(neither.statusCode).toBe(400);
    });

    it('searches grants by entity, entity name and user, by POST and GET', async () => {
      const userId = await seedUser(test, tenantA);
      await inA().upsertEntityGrant(target.id!, { grant: { recipientEntityId: recipient.id } });
      await inA().upsertEntityGrant(target.id!, { grant: { userId } });
      const byEntity = await inA().searchEntityGrants({ search: { entityId: target.id } });
      expect(byEntity.response.total).toBe(2);
      expect(byEntity.response.grants!.map((grant) => grant.entity!.id)).toEqual([
        target.id,
        target.id,
      ]);
      const byUser = await inA().searchEntityGrants({ search: { userId } });
      expect(byUser.response.grants!.map((grant) => grant.userId)).toEqual([userId]);
      const byName = await inA().searchEntityGrantsByParameters(
        UNSET,
        target.name!,
        UNSET,
        UNSET as unknown as number,
        UNSET,
        UNSET as unknown as number,
      );
      expect(byName.response.total).toBe(2);
      const fromB = await inB().searchEntityGrants({ search: { entityId: target.id } });
      expect(fromB.response).toEqual({ grants: [], total: 0 });
    });

    it('goes with its entities, and with its tenant', async () => {
      await inA().upsertEntityGrant(target.id!, { grant: { recipientEntityId: recipient.id } });
      await inA().deleteEntity(recipient.id!);
      expect(
        (await inA().searchEntityGrants({ search: { entityId: target.id } })).response.total,
      ).toBe(0);

      const tenantC = await createTenant(test);
      const inC = test.client(test.managerKey, tenantC);
      const a = await create(inC);
      const b = await create(inC);
      await inC.upsertEntityGrant(a.id!, { grant: { recipientEntityId: b.id } });
      await inC.upsertEntityGrant(a.id!, { grant: { userId: await seedUser(test, tenantC) } });
      expect((await test.client().deleteTenant(tenantC)).statusCode).toBe(200);
      expect(await failure(test.client().retrieveEntity(a.id!))).toEqual(NOT_FOUND);
      expect(await test.app.get(EntityRepository).findById(b.id!)).toBeNull();
      expect(
        await test.app.get(DataSource).getRepository(EntityRow).countBy({ tenantId: tenantC }),
      ).toBe(0);
    });
  });

  it('gives the token endpoint the rows it reads', async () => {
    const entity = await create();
    const byClient = await test.app.get(EntityRepository).findByClientId(entity.clientId!);
    expect(byClient).toMatchObject({
      id: entity.id,
      tenantId: tenantA,
      typeId,
      clientId: entity.clientId,
      clientSecret: entity.clientSecret,
      name: entity.name,
    });
    expect(await test.app.get(EntityRepository).findByClientId(randomUUID())).toBeNull();
    expect(await test.app.get(EntityTypeRepository).findById(typeId)).toMatchObject({
      id: typeId,
      jwtEnabled: false,
      jwtAccessTokenKeyId: null,
      jwtTimeToLiveSeconds: null,
    });
  });
});

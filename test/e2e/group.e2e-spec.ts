import type { Group, GroupMember } from '@fusionauth/typescript-client';
import { randomUUID } from 'node:crypto';
import { createKey, createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { fieldCodes, seedApplication, seedGroup, seedUser, uniqueName } from '../support/fixtures';

const NONE = null as unknown as string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_FOUND = { statusCode: 404, exception: undefined };

describe.each(dialects())('Group API on %s', (dialect) => {
  let test: TestApp;
  let tenantA: string;
  let tenantB: string;
  const inA = () => test.client(test.managerKey, tenantA);
  const inB = () => test.client(test.managerKey, tenantB);

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantA = await createTenant(test);
    tenantB = await createTenant(test);
  });
  afterAll(() => test?.close());

  describe('groups', () => {
    it('creates a group granting application roles, and retrieves it', async () => {
      const app = await seedApplication(test, tenantA);
      const name = uniqueName('admins');
      const created = await inA().createGroup(NONE, {
        group: { name, data: { level: 3 } },
        roleIds: [app.roleId],
      });
      expect(created.statusCode).toBe(200);
      const group = created.response.group!;
      expect(group).toEqual({
        id: expect.stringMatching(UUID) as string,
        tenantId: tenantA,
        name,
        data: { level: 3 },
        roles: {
          [app.applicationId]: [
            {
              id: app.roleId,
              name: 'admin',
              isDefault: false,
              isSuperRole: false,
              insertInstant: expect.any(Number) as number,
              lastUpdateInstant: expect.any(Number) as number,
            },
          ],
        },
        insertInstant: group.insertInstant,
        lastUpdateInstant: group.insertInstant,
      });
      expect((await test.client().retrieveGroup(group.id!)).response).toEqual({ group });
      const listed = (await inA().retrieveGroups()).response.groups!;
      expect(listed).toContainEqual(group);
    });

    it('creates with a chosen id; refuses the id again and the name in any case', async () => {
      const id = randomUUID();
      const name = uniqueName('Chosen');
      const created = await inA().createGroup(id, { group: { name } });
      expect(created.response.group).toMatchObject({ id, name, data: {}, roles: {} });
      const byId = await failure(inA().createGroup(id, { group: { name: `${name}-2` } }));
      expect(byId.exception).toMatchObject({
        fieldErrors: { groupId: [{ code: '[duplicate]groupId' }] },
      });
      const byName = await failure(
        inA().createGroup(NONE, { group: { name: name.toUpperCase() } }),
      );
      expect(byName.statusCode).toBe(400);
      expect(byName.exception).toEqual({
        fieldErrors: {
          'group.name': [
            {
              code: '[duplicate]group.name',
              message: 'The value of [group.name] is already in use.',
            },
          ],
        },
      });
      const elsewhere = await inB().createGroup(NONE, { group: { name } });
      expect(elsewhere.response.group).toMatchObject({ name, tenantId: tenantB });
    });

    it('refuses roles that do not exist or belong to another tenant', async () => {
      const foreign = await seedApplication(test, tenantB);
      for (const roleIds of [[randomUUID()], [foreign.roleId]]) {
        const rejected = await failure(
          inA().createGroup(NONE, { group: { name: uniqueName('roles') }, roleIds }),
        );
        expect(rejected.statusCode).toBe(400);
        expect(rejected.exception).toEqual({
          fieldErrors: {
            roleIds: [
              {
                code: '[invalid]roleIds',
                message:
                  'Each of the [roleIds] must be a role of an application in the tenant of the group.',
              },
            ],
          },
        });
      }
    });

    it('replaces on PUT, merges on PATCH, and deletes', async () => {
      const first = await seedApplication(test, tenantA);
      const second = await seedApplication(test, tenantA);
      const name = uniqueName('mutable');
      const { id } = (
        await inA().createGroup(NONE, {
          group: { name, data: { a: 1 } },
          roleIds: [first.roleId],
        })
      ).response.group!;

      const updated = await test.client().updateGroup(id!, {
        group: { name: `${name}-put`, data: { b: 2 } },
        roleIds: [second.roleId],
      });
      const group = updated.response.group!;
      expect(group).toMatchObject({ name: `${name}-put`, data: { b: 2 } });
      expect(Object.keys(group.roles!)).toEqual([second.applicationId]);

      const patched = await test.client().patchGroup(id!, {
        group: { data: { c: 3 } },
        roleIds: [first.roleId],
      });
      expect(patched.response.group).toMatchObject({ name: `${name}-put`, data: { b: 2, c: 3 } });
      expect(Object.keys(patched.response.group!.roles!).sort()).toEqual(
        [first.applicationId, second.applicationId].sort(),
      );

      const removed = await test
        .client()
        .deleteApplicationRole(second.applicationId, second.roleId);
      expect(removed.statusCode).toBe(200);
      expect(Object.keys((await test.client().retrieveGroup(id!)).response.group!.roles!)).toEqual([
        first.applicationId,
      ]);

      const deleted = await test.client().deleteGroup(id!);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();
      expect(await failure(test.client().retrieveGroup(id!))).toEqual(NOT_FOUND);
      expect(await failure(test.client().deleteGroup(id!))).toEqual(NOT_FOUND);
    });

    it('searches by name, by POST and by GET, with a total', async () => {
      const prefix = uniqueName('search');
      for (const suffix of ['a', 'b', 'c'])
        await inA().createGroup(NONE, { group: { name: `${prefix}-${suffix}` } });
      const found = await test
        .client()
        .searchGroups({ search: { name: `${prefix}*`, startRow: 1, numberOfResults: 5 } });
      expect(found.statusCode).toBe(200);
      expect(found.response.total).toBe(3);
      expect(found.response.groups!.map((group) => group.name)).toEqual([
        `${prefix}-b`,
        `${prefix}-c`,
      ]);
      const byGet = await test.http(`/api/group/search?name=${prefix}&tenantId=undefined`);
      const body = (await byGet.json()) as { groups: Group[]; total: number };
      expect(body.total).toBe(3);
      const scoped = await inB().searchGroups({ search: { name: prefix } });
      expect(scoped.response).toEqual({ groups: [], total: 0 });
    });
  });

  describe('members', () => {
    let groupId: string;
    let users: string[];

    beforeAll(async () => {
      groupId = await seedGroup(test, tenantA);
      users = [];
      for (let index = 0; index < 3; index += 1) users.push(await seedUser(test, tenantA));
    });

    const memberIdsOf = async (userId?: string) =>
      (
        await test.client().searchGroupMembers({ search: { groupId, userId } })
      ).response.members!.map((member) => member.userId);

    it('adds members, keeps a membership added twice, replaces and searches them', async () => {
      const added = await test.client().createGroupMembers({
        members: {
          [groupId]: [{ userId: users[0], data: { role: 'lead' } }, { userId: users[1] }],
        },
      });
      expect(added.statusCode).toBe(200);
      const members = added.response.members![groupId];
      expect(members).toEqual([
        {
          id: expect.stringMatching(UUID) as string,
          groupId,
          userId: users[0],
          data: { role: 'lead' },
          insertInstant: expect.any(Number) as number,
        },
        {
          id: expect.stringMatching(UUID) as string,
          groupId,
          userId: users[1],
          data: {},
          insertInstant: members[0].insertInstant,
        },
      ]);

      const again = await test.client().createGroupMembers({
        members: { [groupId]: [{ userId: users[0], data: { role: 'member' } }] },
      });
      expect(again.response.members![groupId]).toEqual([
        { ...members[0], data: { role: 'member' } },
      ]);

      const searched = await test.client().searchGroupMembers({ search: { groupId } });
      expect(searched.response.total).toBe(2);
      expect(searched.response.members).toContainEqual({ ...members[0], data: { role: 'member' } });
      expect(await memberIdsOf(users[1])).toEqual([users[1]]);

      const replaced = await test.client().updateGroupMembers({
        members: { [groupId]: [{ userId: users[1] }, { userId: users[2] }] },
      });
      expect(replaced.response.members![groupId].map((member) => member.userId)).toEqual([
        users[1],
        users[2],
      ]);
      expect(replaced.response.members![groupId][0].id).toBe(members[1].id);
      expect((await memberIdsOf()).sort()).toEqual([users[1], users[2]].sort());

      const byGet = await test.http(`/api/group/member/search?userId=${users[2]}&groupId=null`);
      expect(((await byGet.json()) as { total: number }).total).toBe(1);
    });

    it('deletes members in each of the shapes FusionAuth accepts', async () => {
      const write = await test.client().updateGroupMembers({
        members: { [groupId]: users.map((userId) => ({ userId })) },
      });
      const byUser = Object.fromEntries(
        write.response.members![groupId].map((member: GroupMember) => [member.userId, member.id]),
      );

      const byIdPath = await test.http(`/api/group/member/${byUser[users[0]]}`, {
        method: 'DELETE',
      });
      expect(byIdPath.status).toBe(200);
      expect(await byIdPath.text()).toBe('');

      const byQuery = await test.http(`/api/group/member?groupId=${groupId}&userId=${users[1]}`, {
        method: 'DELETE',
      });
      expect(byQuery.status).toBe(200);
      expect(await memberIdsOf()).toEqual([users[2]]);

      const byMap = await test.client().deleteGroupMembers({ members: { [groupId]: [users[2]] } });
      expect(byMap.statusCode).toBe(200);
      expect(byMap.response).toBeUndefined();
      expect(await memberIdsOf()).toEqual([]);

      const added = await test
        .client()
        .createGroupMembers({ members: { [groupId]: [{ userId: users[0] }] } });
      const memberId = added.response.members![groupId][0].id!;
      await test.client().deleteGroupMembers({ memberIds: [memberId] });
      expect(await memberIdsOf()).toEqual([]);

      expect(await failure(test.client().deleteGroupMembers({ memberIds: [memberId] }))).toEqual(
        NOT_FOUND,
      );
      expect(
        await failure(test.client().deleteGroupMembers({ members: { [groupId]: [users[0]] } })),
      ).toEqual(NOT_FOUND);
      const gone = await test.http(`/api/group/member/${memberId}`, { method: 'DELETE' });
      expect(gone.status).toBe(404);
    });

    it('refuses a user of another tenant, an unknown user and an unknown group', async () => {
      const foreignUser = await seedUser(test, tenantB);
      for (const userId of [foreignUser, randomUUID()]) {
        const rejected = await failure(
          test.client().createGroupMembers({ members: { [groupId]: [{ userId }] } }),
        );
        expect(rejected.statusCode).toBe(400);
        expect(rejected.exception).toEqual({
          fieldErrors: {
            members: [
              {
                code: '[invalid]members',
                message: `No user with the id [${userId}] exists in the tenant of group [${groupId}].`,
              },
            ],
          },
        });
      }
      const unknownGroup = randomUUID();
      const rejected = await failure(
        test.client().createGroupMembers({ members: { [unknownGroup]: [{ userId: users[0] }] } }),
      );
      expect(rejected.exception).toEqual({
        fieldErrors: {
          members: [
            { code: '[invalid]members', message: `No group has the id [${unknownGroup}].` },
          ],
        },
      });
    });
  });

  describe('tenancy', () => {
    it('refuses a create naming no tenant while several exist', async () => {
      const rejected = await failure(
        test.client().createGroup(NONE, { group: { name: uniqueName('where') } }),
      );
      expect(rejected.statusCode).toBe(400);
      expect(rejected.exception).toEqual({
        generalErrors: [
          {
            code: '[TenantIdRequired]',
            message:
              'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
          },
        ],
      });
    });

    it("confines a tenant-scoped key and a tenant header to their tenant's groups and members", async () => {
      const groupA = await seedGroup(test, tenantA);
      const userA = await seedUser(test, tenantA);
      const added = await inA().createGroupMembers({ members: { [groupA]: [{ userId: userA }] } });
      const memberA = added.response.members![groupA][0].id!;
      const scopedB = (await createKey(test, { tenantId: tenantB })).key;
      const created = await test
        .client(scopedB)
        .createGroup(NONE, { group: { name: uniqueName('scoped') } });
      expect(created.response.group!.tenantId).toBe(tenantB);

      for (const client of [test.client(scopedB), inB()]) {
        const groups = (await client.retrieveGroups()).response.groups!;
        expect(groups.length).toBeGreaterThan(0);
        expect(groups.every((group) => group.tenantId === tenantB)).toBe(true);
        expect(await failure(client.retrieveGroup(groupA))).toEqual(NOT_FOUND);
        expect(await failure(client.updateGroup(groupA, { group: { name: 'x' } }))).toEqual(
          NOT_FOUND,
        );
        expect(await failure(client.deleteGroup(groupA))).toEqual(NOT_FOUND);
        expect(await failure(client.deleteGroupMembers({ memberIds: [memberA] }))).toEqual(
          NOT_FOUND,
        );
        const search = await client.searchGroupMembers({ search: { groupId: groupA } });
        expect(search.response).toEqual({ members: [], total: 0 });
        const write = await failure(
          client.createGroupMembers({ members: { [groupA]: [{ userId: userA }] } }),
        );
        expect(write.statusCode).toBe(400);
      }
      expect((await test.client().retrieveGroup(groupA)).statusCode).toBe(200);
    });

    it('removes the groups of a deleted tenant, with their members', async () => {
      const doomed = await createTenant(test);
      const groupId = await seedGroup(test, doomed);
      const userId = await seedUser(test, doomed);
      await test
        .client(test.managerKey, doomed)
        .createGroupMembers({ members: { [groupId]: [{ userId }] } });
      await test.client().deleteTenant(doomed);
      expect(await failure(test.client().retrieveGroup(groupId))).toEqual(NOT_FOUND);
      const search = await test.client().searchGroupMembers({ search: { userId } });
      expect(search.response).toEqual({ members: [], total: 0 });
    });
  });

  describe('bad input', () => {
    let existing: string;

    beforeAll(async () => {
      existing = await seedGroup(test, tenantA);
    });

    const long = 'x'.repeat(192);
    const rows: [string, 'POST' | 'PUT' | 'PATCH' | 'DELETE', string, unknown, string[]][] = [
      ['no body', 'POST', '/api/group', undefined, ['[couldNotParseJSON]']],
      ['no name', 'POST', '/api/group', { group: { data: {} } }, ['[blank]group.name']],
      [
        'numeric name',
        'POST',
        '/api/group',
        { group: { name: 1 } },
        ['[couldNotConvert]group.name'],
      ],
      ['oversize name', 'POST', '/api/group', { group: { name: long } }, ['[tooLong]group.name']],
      [
        'control characters',
        'POST',
        '/api/group',
        { group: { name: 'a\nb' } },
        ['[invalid]group.name'],
      ],
      [
        'data a list',
        'POST',
        '/api/group',
        { group: { name: 'n', data: [] } },
        ['[couldNotConvert]group.data'],
      ],
      [
        'roleIds not UUIDs',
        'POST',
        '/api/group',
        { group: { name: 'n' }, roleIds: ['r'] },
        ['[couldNotConvert]roleIds'],
      ],
      [
        'roleIds a string',
        'POST',
        '/api/group',
        { group: { name: 'n' }, roleIds: randomUUID() },
        ['[couldNotConvert]roleIds'],
      ],
      ['PUT without a name', 'PUT', '/api/group/{existing}', { group: {} }, ['[blank]group.name']],
      [
        'PATCH to a null name',
        'PATCH',
        '/api/group/{existing}',
        { group: { name: null } },
        ['[blank]group.name'],
      ],
      ['no members', 'POST', '/api/group/member', {}, ['[missing]members']],
      [
        'members a list',
        'POST',
        '/api/group/member',
        { members: [] },
        ['[couldNotConvert]members'],
      ],
      ['no groups', 'PUT', '/api/group/member', { members: {} }, ['[blank]members']],
      [
        'group id not a UUID',
        'POST',
        '/api/group/member',
        { members: { g: [] } },
        ['[couldNotConvert]members'],
      ],
      [
        'member without a user',
        'POST',
        '/api/group/member',
        { members: { '{existing}': [{}] } },
        ['[blank]members.userId'],
      ],
      [
        'member user not a UUID',
        'POST',
        '/api/group/member',
        { members: { '{existing}': [{ userId: 'u' }] } },
        ['[couldNotConvert]members.userId'],
      ],
      [
        'member data a string',
        'POST',
        '/api/group/member',
        { members: { '{existing}': [{ userId: randomUUID(), data: 's' }] } },
        ['[couldNotConvert]members.data'],
      ],
      [
        'members not objects',
        'POST',
        '/api/group/member',
        { members: { '{existing}': ['u', 'v'] } },
        ['[couldNotConvert]members'],
      ],
      [
        'delete with nothing named',
        'DELETE',
        '/api/group/member',
        undefined,
        ['[missing]memberIds'],
      ],
      [
        'delete with no ids',
        'DELETE',
        '/api/group/member',
        { memberIds: [] },
        ['[blank]memberIds'],
      ],
      [
        'delete by bad ids',
        'DELETE',
        '/api/group/member',
        { memberIds: ['m'] },
        ['[couldNotConvert]memberIds'],
      ],
      [
        'delete by bad user ids',
        'DELETE',
        '/api/group/member',
        { members: { '{existing}': [1] } },
        ['[couldNotConvert]members'],
      ],
      [
        'delete by group without user',
        'DELETE',
        '/api/group/member?groupId={existing}',
        undefined,
        ['[missing]userId'],
      ],
      [
        'delete by bad user id',
        'DELETE',
        '/api/group/member?groupId={existing}&userId=u',
        undefined,
        ['[couldNotConvert]userId'],
      ],
      [
        'bad group id in path',
        'DELETE',
        '/api/group/nope',
        undefined,
        ['[couldNotConvert]groupId'],
      ],
      [
        'bad member id in path',
        'DELETE',
        '/api/group/member/nope',
        undefined,
        ['[couldNotConvert]memberId'],
      ],
      [
        'bad search paging',
        'POST',
        '/api/group/search',
        { search: { startRow: -1 } },
        ['[invalid]search.startRow'],
      ],
      [
        'bad member search',
        'POST',
        '/api/group/member/search',
        { search: { groupId: 'g' } },
        ['[couldNotConvert]search.groupId'],
      ],
    ];

    it.each(rows)('%s → 400', async (_, method, path, body, codes) => {
      const fill = (text: string) => text.replaceAll('{existing}', existing);
      const response = await test.http(fill(path), {
        method,
        headers: { 'content-type': 'application/json', 'x-fusionauth-tenantid': tenantA },
        body: body === undefined ? undefined : fill(JSON.stringify(body)),
      });
      expect(await fieldCodes(response)).toEqual(codes);
    });
  });
});

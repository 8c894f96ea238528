import { Sort } from '@fusionauth/typescript-client';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GroupEntity, GroupMemberEntity } from '../../src/group/group.entity';
import { RowReader } from '../../src/database/row-reader';
import { PasswordHasher } from '../../src/password/password.hasher';
import { UserEntity } from '../../src/user/user.entity';
import { UserReader, UserView } from '../../src/user/user.reader';
import { createKey, createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { parseMetrics, sample } from '../support/metrics';
import {
  createUser,
  PASSWORD,
  seedApplication,
  seedGroup,
  seedUser,
  uniqueEmail,
} from '../support/fixtures';

const NONE = null as unknown as string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EITHER =
  'You must specify either the [user.email] or [user.username] property. If you are emailing the user you must specify the [user.email].';
const TENANT_REQUIRED = {
  generalErrors: [
    {
      code: '[TenantIdRequired]',
      message:
        'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
    },
  ],
};

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

describe.each(dialects())('User API on %s', (dialect) => {
  let test: TestApp;
  let tenant: string;
  /** The manager key, confined by header to this suite's tenant. */
  const client = () => test.client(test.managerKey, tenant);

  beforeAll(async () => {
    test = await startApp(dialect);
    tenant = await createTenant(test);
  });
  afterAll(() => test?.close());

  async function storedUser(id: string): Promise<UserEntity> {
    return (await test.app.get(DataSource).getRepository(UserEntity).findOneBy({ id }))!;
  }

  describe("FusionAuth's client flow", () => {
    it('creates a user, finds it by email, deletes it, and then the lookup is 404', async () => {
      const email = uniqueEmail('flow');
      const created = await client().createUser(NONE, {
        user: { email, password: PASSWORD, firstName: 'Flow' },
      });
      expect(created.statusCode).toBe(200);
      const id = created.response.user!.id!;
      const found = await client().retrieveUserByEmail(email);
      expect(found.statusCode).toBe(200);
      expect(found.response.user!.id).toBe(id);
      const deleted = await client().deleteUser(id);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();
      expect((await failure(client().retrieveUserByEmail(email))).statusCode).toBe(404);
      expect((await failure(client().retrieveUser(id))).statusCode).toBe(404);
    });
  });

  describe('one read, whole user', () => {
    it('answers registrations and memberships in insertion order, as the search does, by id and by every lookup', async () => {
      const email = uniqueEmail('whole');
      const username = unique('whole');
      const id = await createUser(test, tenant, { email, username });
      const apps = [
        await seedApplication(test, tenant, ['a', 'b']),
        await seedApplication(test, tenant),
      ];
      for (const [i, { applicationId }] of apps.entries()) {
        const registered = await client().register(id, {
          registration: { applicationId, roles: i === 0 ? ['b', 'a'] : [], data: { n: i } },
        });
        expect(registered.statusCode).toBe(200);
      }
      const groups = [await seedGroup(test, tenant), await seedGroup(test, tenant)];
      for (const [i, groupId] of groups.entries()) {
        const added = await client().createGroupMembers({
          members: { [groupId]: [{ userId: id, data: { n: i } }] },
        });
        expect(added.statusCode).toBe(200);
      }
      const user = (await client().retrieveUser(id)).response.user!;
      expect(user.registrations!.map((registration) => registration.applicationId)).toEqual(
        apps.map((app) => app.applicationId),
      );
      expect(user.registrations![0].roles!.slice().sort()).toEqual(['a', 'b']);
      expect(user.registrations![1].data).toEqual({ n: 1 });
      expect(user.memberships!.map((member) => member.groupId)).toEqual(groups);
      expect(user.memberships![0].data).toEqual({ n: 0 });
      const searched = (await client().searchUsersByIds([id])).response.users![0];
      expect(user).toEqual(searched);
      for (const lookup of [
        client().retrieveUserByEmail(email),
        client().retrieveUserByUsername(username),
        client().retrieveUserByLoginId(username),
      ])
        expect((await lookup).response.user).toEqual(user);
    });

    it("takes an email match over another user's username match", async () => {
      const email = uniqueEmail('rank');
      const byEmail = await createUser(test, tenant, { email });
      const byUsername = await createUser(test, tenant, { username: email });
      const id = async (call: Promise<{ response: { user?: { id?: string } } }>) =>
        (await call).response.user!.id;
      expect(await id(client().retrieveUserByLoginId(email))).toBe(byEmail);
      expect(await id(client().retrieveUserByLoginIdWithLoginIdTypes(email, ['username']))).toBe(
        byUsername,
      );
      expect(await id(client().retrieveUserByUsername(email.toUpperCase()))).toBe(byUsername);
    });

    describe('reads asked for together', () => {
      const count = 70;
      let users: { id: string; email: string; username: string }[];
      let groupId: string;
      let elsewhere: string;

      beforeAll(async () => {
        users = await Promise.all(
          Array.from({ length: count }, async (_, i) => {
            const email = uniqueEmail(`together-${i}`);
            const username = unique(`Together-${i}`);
            return { id: await seedUser(test, tenant, { email, username }), email, username };
          }),
        );
        const { applicationId } = await seedApplication(test, tenant);
        groupId = await seedGroup(test, tenant);
        // Every third user registered, every fifth a member, each with data naming it.
        for (const [i, user] of users.entries()) {
          if (i % 3 === 0)
            expect(
              (
                await client().register(user.id, {
                  registration: { applicationId, data: { owner: user.id } },
                })
              ).statusCode,
            ).toBe(200);
          if (i % 5 === 0)
            expect(
              (
                await client().createGroupMembers({
                  members: { [groupId]: [{ userId: user.id, data: { owner: user.id } }] },
                })
              ).statusCode,
            ).toBe(200);
        }
        elsewhere = await seedUser(test, await createTenant(test), {
          email: uniqueEmail('elsewhere'),
        });
      });

      /** The i-th user exactly: its own fields, registration and membership, no other's. */
      function expectOwn(user: Partial<Record<string, unknown>> | undefined, i: number): void {
        const own = users[i];
        expect([user?.id, user?.email, user?.username]).toEqual([own.id, own.email, own.username]);
        expect(user?.registrations ?? []).toEqual(
          i % 3 === 0 ? [expect.objectContaining({ data: { owner: own.id } })] : [],
        );
        expect(user?.memberships ?? []).toEqual(
          i % 5 === 0
            ? [expect.objectContaining({ groupId, userId: own.id, data: { owner: own.id } })]
            : [],
        );
      }

      it('answers concurrent requests each with its own user, and a hostile or foreign one with 404', async () => {
        const [byId, byEmail, byLoginId, missing] = await Promise.all([
          Promise.all(users.map((user) => client().retrieveUser(user.id))),
          Promise.all(users.map((user) => client().retrieveUserByEmail(user.email.toUpperCase()))),
          Promise.all(users.map((user) => client().retrieveUserByLoginId(user.username))),
          Promise.all([
            failure(client().retrieveUser(elsewhere)),
            failure(client().retrieveUser(randomUUID())),
            failure(client().retrieveUserByEmail(`%' OR '1'='1`)),
            failure(client().retrieveUserByUsername('_')),
          ]),
        ]);
        for (const answers of [byId, byEmail, byLoginId])
          for (const [i, answer] of answers.entries()) {
            expect(answer.statusCode).toBe(200);
            expectOwn(answer.response.user as Partial<Record<string, unknown>>, i);
          }
        expect(missing.map((answer) => answer.statusCode)).toEqual([404, 404, 404, 404]);
      });

      /** The user read batches' counters, scraped from the replica's metrics. */
      const batchCounts = async () => {
        const metrics = parseMetrics(await (await test.http('/api/prometheus/metrics')).text());
        const count = (event: string) =>
          sample(metrics, 'portcullis_user_read_batches_total', { event });
        return {
          queries: count('queries'),
          reads: count('reads'),
          failures: count('failures'),
          overdue: count('overdue'),
        };
      };

      // Requests over HTTP reach the reader in whatever turns they arrive; asking the reader
      // directly puts every read in one turn, so the batches' size and count are known.
      it('answers the reads of one shape asked for in one turn with one query per 64', async () => {
        const reader = test.app.get(UserReader);
        const before = await batchCounts();
        const queries = jest.spyOn(test.app.get(RowReader), 'rows');
        try {
          const [scoped, anywhere, byUsername] = await Promise.all([
            Promise.all([...users, { id: elsewhere }].map((user) => reader.byId(tenant, user.id))),
            Promise.all([reader.byId(null, elsewhere), reader.byId(null, users[1].id)]),
            Promise.all(
              users.map((user) =>
                reader.byLoginId(tenant, user.username.toUpperCase(), ['username']),
              ),
            ),
          ]);
          // 71 scoped reads by id (64 + 7), 2 global ones (padded to 4), 70 by username (64 + 6).
          expect(queries.mock.calls.length).toBe(5);
          const whole = (view: UserView | null) =>
            view === null ? undefined : { ...view.user, ...view };
          for (const i of users.keys()) {
            expectOwn(whole(scoped[i]), i);
            expectOwn(whole(byUsername[i]), i);
          }
          expect(scoped[count]).toBeNull();
          expect(anywhere.map((view) => view?.user.id)).toEqual([elsewhere, users[1].id]);
          // The same, as an operator sees it.
          const after = await batchCounts();
          expect({
            queries: after.queries - before.queries,
            reads: after.reads - before.reads,
            failures: after.failures - before.failures,
            overdue: after.overdue - before.overdue,
          }).toEqual({ queries: 5, reads: 143, failures: 0, overdue: 0 });
        } finally {
          queries.mockRestore();
        }
      });

      it('ranks each read of a batch by its own types, a read asked twice answered twice', async () => {
        const reader = test.app.get(UserReader);
        const email = uniqueEmail('ranked');
        const byEmail = await seedUser(test, tenant, { email });
        const byUsername = await seedUser(test, tenant, { username: email });
        const queries = jest.spyOn(test.app.get(RowReader), 'rows');
        try {
          const found = await Promise.all([
            reader.byLoginId(tenant, email.toUpperCase(), ['email', 'username']),
            reader.byLoginId(tenant, email, ['email', 'username']),
            reader.byLoginId(tenant, users[3].username.toLowerCase(), ['email', 'username']),
            reader.byLoginId(tenant, email, ['username', 'email']),
            reader.byLoginId(tenant, users[4].email, ['username', 'email']),
          ]);
          // One query per shape: the two orders of the types.
          expect(queries.mock.calls.length).toBe(2);
          expect(found.map((view) => view?.user.id)).toEqual([
            byEmail,
            byEmail,
            users[3].id,
            byUsername,
            users[4].id,
          ]);
        } finally {
          queries.mockRestore();
        }
      });
    });

    it("is a 404 for another tenant's user, with or without its lookups", async () => {
      const other = await createTenant(test);
      const email = uniqueEmail('elsewhere');
      const id = await createUser(test, other, { email });
      expect((await failure(client().retrieveUser(id))).statusCode).toBe(404);
      expect((await failure(client().retrieveUserByEmail(email))).statusCode).toBe(404);
      expect((await test.client(test.managerKey).retrieveUser(id)).response.user!.tenantId).toBe(
        other,
      );
    });
  });

  describe('create and retrieve', () => {
    it('creates a user with a chosen id and answers the whole profile, never the password', async () => {
      const id = randomUUID();
      const email = uniqueEmail('Full');
      const created = await client().createUser(id, {
        skipVerification: true,
        user: {
          email: email.toUpperCase(),
          username: unique('full'),
          password: PASSWORD,
          firstName: 'Ada',
          middleName: 'King',
          lastName: 'Lovelace',
          fullName: 'Ada King Lovelace',
          birthDate: '1815-12-10',
          imageUrl: 'https://example.com/ada.png',
          mobilePhone: '+44 20 7946 0000',
          timezone: 'Europe/London',
          preferredLanguages: ['en', 'fr-CA'],
          data: { favourite: { engine: 'analytical' } },
          passwordChangeRequired: true,
          tenantId: randomUUID(),
          unknownProperty: 'ignored',
        } as never,
      });
      expect(created.statusCode).toBe(200);
      const user = created.response.user!;
      expect(user).toEqual({
        id,
        tenantId: tenant,
        active: true,
        email: email.toLowerCase(),
        username: expect.stringMatching(/^full-/) as unknown,
        firstName: 'Ada',
        middleName: 'King',
        lastName: 'Lovelace',
        fullName: 'Ada King Lovelace',
        birthDate: '1815-12-10',
        imageUrl: 'https://example.com/ada.png',
        mobilePhone: '+44 20 7946 0000',
        timezone: 'Europe/London',
        preferredLanguages: ['en', 'fr-CA'],
        data: { favourite: { engine: 'analytical' } },
        verified: true,
        passwordChangeRequired: true,
        insertInstant: expect.any(Number) as unknown,
        lastUpdateInstant: user.insertInstant,
        passwordLastUpdateInstant: user.insertInstant,
        registrations: [],
        memberships: [],
      });
      expect(created.response).toEqual({ user });
      expect((await client().retrieveUser(id)).response).toEqual({ user });
      const stored = await storedUser(id);
      expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await test.app.get(PasswordHasher).verify(stored.passwordHash!, PASSWORD)).toBe(true);
    });

    it('creates a minimal user with a generated id, unverified, and omits unset fields', async () => {
      const username = unique('Minimal');
      const created = await client().createUser(NONE, { user: { username, password: PASSWORD } });
      const user = created.response.user!;
      expect(user.id).toMatch(UUID);
      expect(user).toEqual({
        id: user.id,
        tenantId: tenant,
        active: true,
        username,
        data: {},
        verified: false,
        passwordChangeRequired: false,
        insertInstant: expect.any(Number) as unknown,
        lastUpdateInstant: user.insertInstant,
        passwordLastUpdateInstant: user.insertInstant,
        registrations: [],
        memberships: [],
      });
    });

    it('stores no password when a set-password email is asked for', async () => {
      const created = await client().createUser(NONE, {
        sendSetPasswordEmail: true,
        user: { email: uniqueEmail('setpw') },
      });
      expect(created.response.user!.passwordLastUpdateInstant).toBeUndefined();
      expect((await storedUser(created.response.user!.id!)).passwordHash).toBeNull();
    });

    it('finds users by email (any case), username (any case) and login id', async () => {
      const email = uniqueEmail('lookup');
      const username = unique('Lookup');
      const id = await createUser(test, tenant, { email, username });
      const ids = async (call: Promise<{ response: { user?: { id?: string } } }>) =>
        (await call).response.user!.id;
      expect(await ids(client().retrieveUserByEmail(email.toUpperCase()))).toBe(id);
      expect(await ids(client().retrieveUserByUsername(username.toLowerCase()))).toBe(id);
      expect(await ids(client().retrieveUserByUsername(username.toUpperCase()))).toBe(id);
      expect(await ids(client().retrieveUserByLoginId(email))).toBe(id);
      expect(await ids(client().retrieveUserByLoginId(username))).toBe(id);
      expect(
        await ids(client().retrieveUserByLoginIdWithLoginIdTypes(username, ['username'])),
      ).toBe(id);
      expect(
        await ids(client().retrieveUserByLoginIdWithLoginIdTypes(email, ['email', 'username'])),
      ).toBe(id);
      for (const call of [
        () => client().retrieveUserByLoginIdWithLoginIdTypes(username, ['email']),
        () => client().retrieveUserByLoginIdWithLoginIdTypes(email, ['username']),
        () => client().retrieveUserByEmail(uniqueEmail('nobody')),
        () => client().retrieveUserByUsername(unique('nobody')),
        () => client().retrieveUser(randomUUID()),
      ]) {
        expect(await failure(call())).toEqual({ statusCode: 404, exception: undefined });
      }
    });

    it('answers 400 for a lookup that names nothing, and for a bad id in the path', async () => {
      const nothing = await test.http('/api/user?email=undefined', {
        headers: { 'x-fusionauth-tenantid': tenant },
      });
      expect(nothing.status).toBe(400);
      expect(await nothing.json()).toEqual({
        fieldErrors: {
          userId: [
            {
              code: '[missing]userId',
              message: 'The Id of the User was not specified on the URL.',
            },
          ],
        },
      });
      const badId = await failure(client().retrieveUser('12345'));
      expect(badId).toEqual({
        statusCode: 400,
        exception: {
          fieldErrors: {
            userId: [
              {
                code: '[couldNotConvert]userId',
                message:
                  'Invalid userId [12345]. This must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).',
              },
            ],
          },
        },
      });
    });

    it('shows group memberships', async () => {
      const id = await createUser(test, tenant);
      const dataSource = test.app.get(DataSource);
      const groupId = randomUUID();
      const memberId = randomUUID();
      await dataSource.getRepository(GroupEntity).insert({
        id: groupId,
        tenantId: tenant,
        name: unique('group'),
        data: {},
        insertInstant: 1,
        lastUpdateInstant: 1,
      });
      await dataSource.getRepository(GroupMemberEntity).insert({
        id: memberId,
        groupId,
        userId: id,
        data: { since: 2020 },
        insertInstant: 2,
      });
      expect((await client().retrieveUser(id)).response.user!.memberships).toEqual([
        { id: memberId, groupId, userId: id, data: { since: 2020 }, insertInstant: 2 },
      ]);
    });
  });

  describe('memberships on create', () => {
    let groupA: string;
    let groupB: string;
    let foreignGroup: string;

    beforeAll(async () => {
      groupA = await seedGroup(test, tenant);
      groupB = await seedGroup(test, tenant);
      foreignGroup = await seedGroup(test, await createTenant(test));
    });

    const noGroup = (index: number, groupId: string) => ({
      fieldErrors: {
        [`user.memberships[${index}].groupId`]: [
          {
            code: `[invalid]user.memberships[${index}].groupId`,
            message: `No group has the id [${groupId}].`,
          },
        ],
      },
    });

    async function membersOf(groupId: string): Promise<string[]> {
      const found = await test.client().searchGroupMembers({ search: { groupId } });
      return (found.response.members ?? []).map((member) => member.userId!);
    }

    it('adds the new user to the groups named, with their data, and shows the memberships', async () => {
      const memberId = randomUUID();
      const created = await client().createUser(NONE, {
        user: {
          email: uniqueEmail('member'),
          password: PASSWORD,
          memberships: [
            { groupId: groupA, data: { role: 'lead' } },
            { groupId: groupB, id: memberId },
          ],
        },
      });
      expect(created.statusCode).toBe(200);
      const user = created.response.user!;
      // Memberships made at one instant come in id order, not the request's.
      expect(user.memberships).toHaveLength(2);
      expect(user.memberships).toEqual(
        expect.arrayContaining([
          {
            id: expect.stringMatching(UUID) as unknown,
            groupId: groupA,
            userId: user.id,
            data: { role: 'lead' },
            insertInstant: user.insertInstant,
          },
          {
            id: memberId,
            groupId: groupB,
            userId: user.id,
            data: {},
            insertInstant: user.insertInstant,
          },
        ]),
      );
      expect((await client().retrieveUser(user.id!)).response.user!.memberships).toEqual(
        user.memberships,
      );
      expect(await membersOf(groupA)).toContain(user.id);
      const search = await test.client().searchGroupMembers({ search: { userId: user.id } });
      expect(search.response.members).toEqual(user.memberships);
    });

    it('adds the user to the groups named on a create with a chosen id', async () => {
      const id = randomUUID();
      const created = await client().createUser(id, {
        user: {
          email: uniqueEmail('chosen'),
          password: PASSWORD,
          memberships: [{ groupId: groupA }],
        },
      });
      expect(created.response.user!.memberships).toMatchObject([{ groupId: groupA, userId: id }]);
      expect(await membersOf(groupA)).toContain(id);
    });

    it('counts a group named twice once, the last entry winning', async () => {
      const created = await client().createUser(NONE, {
        user: {
          email: uniqueEmail('twice'),
          password: PASSWORD,
          memberships: [
            { groupId: groupA, data: { n: 1 } },
            { groupId: groupB },
            { groupId: groupA, data: { n: 2 } },
          ],
        },
      });
      const memberships = created.response.user!.memberships!;
      expect(memberships.map((member) => [member.groupId, member.data])).toEqual(
        expect.arrayContaining([
          [groupA, { n: 2 }],
          [groupB, {}],
        ]),
      );
      expect(memberships).toHaveLength(2);
    });

    it("refuses another tenant's group as one that does not exist, and creates nothing", async () => {
      for (const groupId of [foreignGroup, randomUUID()]) {
        const membersBefore = await membersOf(groupA);
        const email = uniqueEmail('refused');
        const rejected = await failure(
          client().createUser(NONE, {
            user: {
              email,
              password: PASSWORD,
              memberships: [{ groupId: groupA }, { groupId }],
            },
          }),
        );
        expect(rejected).toEqual({ statusCode: 400, exception: noGroup(1, groupId) });
        expect((await failure(client().retrieveUserByEmail(email))).statusCode).toBe(404);
        expect(await membersOf(foreignGroup)).toEqual([]);
        expect(await membersOf(groupA)).toEqual(membersBefore);
      }
    });

    it('refuses a membership id already in use or named twice, and creates nothing', async () => {
      const taken = (
        await client().createUser(NONE, {
          user: {
            email: uniqueEmail('first'),
            password: PASSWORD,
            memberships: [{ groupId: groupA }],
          },
        })
      ).response.user!.memberships![0].id!;
      const email = uniqueEmail('second');
      const rejected = await failure(
        client().createUser(NONE, {
          user: { email, password: PASSWORD, memberships: [{ groupId: groupB, id: taken }] },
        }),
      );
      expect(rejected.statusCode).toBe(400);
      expect(rejected.exception).toMatchObject({
        fieldErrors: {
          'user.memberships[0].id': [{ code: '[duplicate]user.memberships[0].id' }],
        },
      });
      expect((await failure(client().retrieveUserByEmail(email))).statusCode).toBe(404);
      const chosen = randomUUID();
      const twice = await failure(
        client().createUser(NONE, {
          user: {
            email,
            password: PASSWORD,
            memberships: [
              { groupId: groupA, id: chosen },
              { groupId: groupB, id: chosen },
            ],
          },
        }),
      );
      expect(twice.exception).toEqual({
        fieldErrors: {
          'user.memberships[1].id': [
            {
              code: '[duplicate]user.memberships[1].id',
              message: 'The value of [user.memberships[1].id] is already in use.',
            },
          ],
        },
      });
      expect((await failure(client().retrieveUserByEmail(email))).statusCode).toBe(404);
    });

    it('answers a race for one membership id with one user, and leaves no user of the losers', async () => {
      // Hashing the password runs between the checks and the insert, so the creates meet
      // in the insert: a loser's user row must go with its refused membership.
      const memberId = randomUUID();
      const emails = Array.from({ length: 4 }, () => uniqueEmail('member-race'));
      const attempts = await Promise.allSettled(
        emails.map((email) =>
          client().createUser(NONE, {
            user: { email, password: PASSWORD, memberships: [{ groupId: groupA, id: memberId }] },
          }),
        ),
      );
      const winners = attempts.filter((attempt) => attempt.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const attempt of attempts) {
        if (attempt.status === 'rejected')
          expect(attempt.reason).toMatchObject({
            statusCode: 400,
            exception: {
              fieldErrors: {
                'user.memberships[0].id': [{ code: '[duplicate]user.memberships[0].id' }],
              },
            },
          });
      }
      const found = await Promise.all(
        emails.map((email) =>
          client()
            .retrieveUserByEmail(email)
            .then(() => email)
            .catch(() => null),
        ),
      );
      expect(found.filter((email) => email !== null)).toHaveLength(1);
    });

    it.each<[string, unknown, string]>([
      [
        'a groupId that is not a UUID',
        [{ groupId: 'not-a-uuid' }],
        '[couldNotConvert]user.memberships[0].groupId',
      ],
      ['a membership without a groupId', [{ data: {} }], '[blank]user.memberships[0].groupId'],
      [
        'a membership id that is not a UUID',
        [{ groupId: randomUUID(), id: 42 }],
        '[couldNotConvert]user.memberships[0].id',
      ],
      [
        'data that is not an object',
        [{ groupId: randomUUID(), data: 'x' }],
        '[couldNotConvert]user.memberships[0].data',
      ],
      [
        'memberships that are not an array',
        { groupId: randomUUID() },
        '[couldNotConvert]user.memberships',
      ],
      ['a membership that is not an object', ['x'], '[couldNotConvert]user.memberships'],
    ])('refuses %s', async (_, memberships, code) => {
      const email = uniqueEmail('bad');
      const rejected = await failure(
        client().createUser(NONE, { user: { email, password: PASSWORD, memberships } as never }),
      );
      expect(rejected.statusCode).toBe(400);
      const field = code.replace(/^\[\w+\]/, '');
      expect(rejected.exception).toEqual({
        fieldErrors: { [field]: [{ code, message: expect.any(String) as unknown }] },
      });
      expect((await failure(client().retrieveUserByEmail(email))).statusCode).toBe(404);
    });

    it('adds the user to the groups on a combined registration, or creates nothing', async () => {
      const { applicationId } = await seedApplication(test, tenant);
      const registered = await client().register(NONE, {
        registration: { applicationId },
        user: {
          email: uniqueEmail('combined'),
          password: PASSWORD,
          memberships: [{ groupId: groupA }],
        },
      });
      const user = registered.response.user!;
      expect(user.memberships).toMatchObject([{ groupId: groupA, userId: user.id }]);
      expect(await membersOf(groupA)).toContain(user.id);
      const email = uniqueEmail('combined-refused');
      const rejected = await failure(
        client().register(NONE, {
          registration: { applicationId },
          user: { email, password: PASSWORD, memberships: [{ groupId: foreignGroup }] },
        }),
      );
      expect(rejected).toEqual({ statusCode: 400, exception: noGroup(0, foreignGroup) });
      expect((await failure(client().retrieveUserByEmail(email))).statusCode).toBe(404);
    });

    it('keeps memberships read-only on PUT and PATCH, as FusionAuth reads them only on create', async () => {
      const id = await createUser(test, tenant, { memberships: [{ groupId: groupA }] });
      const before = (await client().retrieveUser(id)).response.user!;
      const replaced = await client().updateUser(id, {
        user: { ...before, firstName: 'Put', memberships: [{ groupId: groupB }] },
      });
      expect(replaced.response.user!.memberships).toEqual(before.memberships);
      const patched = await client().patchUser(id, {
        user: { firstName: 'Patch', memberships: [{ groupId: groupB }] },
      });
      expect(patched.response.user!.firstName).toBe('Patch');
      expect(patched.response.user!.memberships).toEqual(before.memberships);
      expect(await membersOf(groupB)).not.toContain(id);
      const malformed = await failure(
        client().updateUser(id, { user: { ...before, memberships: 'x' as never } }),
      );
      expect(malformed.exception).toMatchObject({
        fieldErrors: { 'user.memberships': [{ code: '[couldNotConvert]user.memberships' }] },
      });
    });
  });

  describe('uniqueness', () => {
    it('refuses a second user with the same email (any case) or username (any case), or id', async () => {
      const email = uniqueEmail('dup');
      const username = unique('Dup');
      const id = await createUser(test, tenant, { email, username });
      const byEmail = await failure(
        client().createUser(NONE, { user: { email: email.toUpperCase(), password: PASSWORD } }),
      );
      expect(byEmail).toEqual({
        statusCode: 400,
        exception: {
          fieldErrors: {
            'user.email': [
              {
                code: '[duplicate]user.email',
                message: `A User with email = [${email}] already exists.`,
              },
            ],
          },
        },
      });
      const byUsername = await failure(
        client().createUser(NONE, {
          user: { username: username.toLowerCase(), password: PASSWORD },
        }),
      );
      expect(byUsername.exception).toEqual({
        fieldErrors: {
          'user.username': [
            {
              code: '[duplicate]user.username',
              message: `A User with username = [${username.toLowerCase()}] already exists.`,
            },
          ],
        },
      });
      const byId = await failure(
        client().createUser(id, { user: { email: uniqueEmail(), password: PASSWORD } }),
      );
      expect(byId.exception).toEqual({
        fieldErrors: {
          userId: [
            { code: '[duplicate]userId', message: 'The value of [userId] is already in use.' },
          ],
        },
      });
      const other = await createUser(test, tenant);
      const taken = await failure(
        client().updateUser(other, { user: { email: email.toUpperCase() } }),
      );
      expect(taken.exception).toMatchObject({
        fieldErrors: { 'user.email': [{ code: '[duplicate]user.email' }] },
      });
    });

    it('answers a race for one email with one user and one duplicate error, never a 500', async () => {
      const email = uniqueEmail('race');
      const attempts = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          client().createUser(NONE, { user: { email, password: PASSWORD } }),
        ),
      );
      const statuses = attempts.map((attempt) =>
        attempt.status === 'fulfilled'
          ? attempt.value.statusCode
          : (attempt.reason as { statusCode: number }).statusCode,
      );
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 400)).toHaveLength(3);
      for (const attempt of attempts) {
        if (attempt.status === 'rejected')
          expect((attempt.reason as { exception: unknown }).exception).toMatchObject({
            fieldErrors: { 'user.email': [{ code: '[duplicate]user.email' }] },
          });
      }
    });
  });

  describe('update', () => {
    it('replaces the profile on PUT and keeps the password when none is given', async () => {
      const id = await createUser(test, tenant, { firstName: 'Old', lastName: 'Name' });
      const before = await storedUser(id);
      const email = uniqueEmail('put');
      const updated = await client().updateUser(id, { user: { email, firstName: 'New' } });
      const user = updated.response.user!;
      expect(user).toMatchObject({ id, email, firstName: 'New' });
      expect(user.lastName).toBeUndefined();
      expect(user.lastUpdateInstant).toBeGreaterThanOrEqual(user.insertInstant!);
      expect((await storedUser(id)).passwordHash).toBe(before.passwordHash);
      expect(user.passwordLastUpdateInstant).toBe(before.passwordLastUpdateInstant);
    });

    it('changes the password on PUT and on PATCH when one is given', async () => {
      const id = await createUser(test, tenant);
      const hasher = test.app.get(PasswordHasher);
      const retrieved = (await client().retrieveUser(id)).response.user!;
      await client().updateUser(id, { user: { ...retrieved, password: 'a new password' } });
      expect(await hasher.verify((await storedUser(id)).passwordHash!, 'a new password')).toBe(
        true,
      );
      const patched = await client().patchUser(id, { user: { password: 'patched password' } });
      expect(patched.response.user).not.toHaveProperty('password');
      expect(await hasher.verify((await storedUser(id)).passwordHash!, 'patched password')).toBe(
        true,
      );
      expect(patched.response.user!.email).toBe(retrieved.email);
    });

    it("merges a PATCH as FusionAuth's application/json does: arrays append, null removes", async () => {
      const id = await createUser(test, tenant, {
        firstName: 'Grace',
        lastName: 'Hopper',
        preferredLanguages: ['en'],
        data: { a: 1, b: 2 },
      });
      const patched = await client().patchUser(id, {
        user: {
          lastName: null,
          preferredLanguages: ['fr'],
          data: { b: null, c: 3 },
        } as never,
      });
      expect(patched.response.user).toMatchObject({
        firstName: 'Grace',
        preferredLanguages: ['en', 'fr'],
        data: { a: 1, c: 3 },
      });
      expect(patched.response.user!.lastName).toBeUndefined();
    });

    it('merges an application/merge-patch+json PATCH by RFC 7396: arrays replace', async () => {
      const id = await createUser(test, tenant, { preferredLanguages: ['en', 'de'] });
      const response = await test.http(`/api/user/${id}`, {
        method: 'PATCH',
        headers: {
          'content-type': 'application/merge-patch+json',
          'x-fusionauth-tenantid': tenant,
        },
        body: JSON.stringify({ user: { preferredLanguages: ['fr'], timezone: 'America/Denver' } }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { user: object }).user).toMatchObject({
        preferredLanguages: ['fr'],
        timezone: 'America/Denver',
      });
    });

    it('validates a PATCH like a PUT: removing both email and username is refused', async () => {
      const id = await createUser(test, tenant);
      const rejected = await failure(client().patchUser(id, { user: { email: null } as never }));
      expect(rejected.exception).toEqual({
        fieldErrors: {
          'user.email': [{ code: '[blank]user.email', message: EITHER }],
          'user.username': [{ code: '[blank]user.username', message: EITHER }],
        },
      });
    });

    it('answers 404 to updates of a user that does not exist', async () => {
      const id = randomUUID();
      for (const call of [
        () => client().updateUser(id, { user: { email: uniqueEmail() } }),
        () => client().patchUser(id, { user: { firstName: 'x' } }),
        () => client().reactivateUser(id),
        () => client().deactivateUser(id),
        () => client().deleteUser(id),
      ]) {
        expect(await failure(call())).toEqual({ statusCode: 404, exception: undefined });
      }
    });
  });

  describe('delete', () => {
    it('deactivates on DELETE, keeps the user retrievable, and reactivates on PUT ?reactivate=true', async () => {
      const email = uniqueEmail('deactivate');
      const id = await createUser(test, tenant, { email });
      const deactivated = await client().deactivateUser(id);
      expect(deactivated.statusCode).toBe(200);
      expect(deactivated.response).toBeUndefined();
      expect((await client().retrieveUser(id)).response.user!.active).toBe(false);
      expect((await client().retrieveUserByEmail(email)).response.user!.active).toBe(false);
      const reactivated = await client().reactivateUser(id);
      expect(reactivated.statusCode).toBe(200);
      expect(reactivated.response.user).toMatchObject({ id, active: true, email });
    });

    it('deletes permanently with a JSON body {"hardDelete": true}, and only deactivates with false', async () => {
      const id = await createUser(test, tenant);
      await client().deleteUserWithRequest(id, { hardDelete: false });
      expect((await client().retrieveUser(id)).response.user!.active).toBe(false);
      const deleted = await client().deleteUserWithRequest(id, { hardDelete: true });
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();
      expect((await failure(client().retrieveUser(id))).statusCode).toBe(404);
      expect(await storedUser(id)).toBeNull();
    });

    it('refuses a DELETE body whose hardDelete is not a boolean', async () => {
      const id = await createUser(test, tenant);
      const rejected = await failure(
        client().deleteUserWithRequest(id, { hardDelete: 'soon' as never }),
      );
      expect(rejected.statusCode).toBe(400);
      expect(rejected.exception).toMatchObject({
        fieldErrors: { hardDelete: [{ code: '[couldNotConvert]hardDelete' }] },
      });
      expect((await client().retrieveUser(id)).response.user!.active).toBe(true);
    });
  });

  describe('search', () => {
    let searchTenant: string;
    const people: Record<string, string> = {};
    const searcher = () => test.client(test.managerKey, searchTenant);

    beforeAll(async () => {
      searchTenant = await createTenant(test);
      for (const [name, first, last] of [
        ['alpha', 'Alice', 'Zephyr'],
        ['bravo', 'Bob', 'Young'],
        ['charlie', 'Carol', 'Xavier'],
        ['delta', 'Dave', 'Walker'],
      ]) {
        people[name] = await createUser(test, searchTenant, {
          email: `${name}@search.example.com`,
          username: `${name}-user`,
          firstName: first,
          lastName: last,
        });
      }
    });

    it('finds users by ids, over GET, ignoring ids that are not UUIDs', async () => {
      const found = await searcher().searchUsersByIds([people.alpha, people.charlie, 'nonsense']);
      expect(found.statusCode).toBe(200);
      expect(found.response.total).toBe(2);
      expect(found.response.users!.map((user) => user.id).sort()).toEqual(
        [people.alpha, people.charlie].sort(),
      );
    });

    it('finds users by ids over POST', async () => {
      const found = await searcher().searchUsersByQuery({
        search: { ids: [people.bravo, randomUUID()] },
      });
      expect(found.response).toEqual({
        users: [expect.objectContaining({ id: people.bravo, registrations: [] })],
        total: 1,
      });
    });

    it('matches one term, case-insensitively, against names, email and username', async () => {
      const term = async (queryString: string) =>
        (await searcher().searchUsersByQuery({ search: { queryString } })).response.users!.map(
          (user) => user.email,
        );
      expect(await term('ALI')).toEqual(['alpha@search.example.com']);
      expect(await term('walker')).toEqual(['delta@search.example.com']);
      expect(await term('CHARLIE-user')).toEqual(['charlie@search.example.com']);
      expect(await term('bravo@search')).toEqual(['bravo@search.example.com']);
      expect(await term('nobody-at-all')).toEqual([]);
      expect(await term('*')).toHaveLength(4);
      expect(await term('100%')).toEqual([]);
    });

    it('pages and sorts, answering the total of all matches', async () => {
      const page = await searcher().searchUsersByQuery({
        search: {
          queryString: '*',
          numberOfResults: 2,
          startRow: 1,
          sortFields: [{ name: 'lastName', order: Sort.asc }],
        },
      });
      expect(page.response.total).toBe(4);
      expect(page.response.users!.map((user) => user.lastName)).toEqual(['Xavier', 'Young']);
      const descending = await searcher().searchUsersByQuery({
        search: { queryString: '*', sortFields: [{ name: 'email', order: Sort.desc }] },
      });
      expect(descending.response.users!.map((user) => user.username)).toEqual([
        'delta-user',
        'charlie-user',
        'bravo-user',
        'alpha-user',
      ]);
    });

    it('searches over GET with queryString, paging and sortFields[0]', async () => {
      const response = await test.http(
        '/api/user/search?queryString=*&numberOfResults=1&startRow=0&sortFields%5B0%5D.name=firstName&sortFields%5B0%5D.order=desc',
        { headers: { 'x-fusionauth-tenantid': searchTenant } },
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { users: { firstName: string }[]; total: number };
      expect(body.total).toBe(4);
      expect(body.users.map((user) => user.firstName)).toEqual(['Dave']);
    });

    it('refuses bad paging and sort fields with 400', async () => {
      const bad = await failure(
        searcher().searchUsersByQuery({
          search: {
            numberOfResults: 'many' as never,
            startRow: -1,
            sortFields: [{ name: 'password' }],
            ids: ['not-a-uuid'],
          },
        }),
      );
      expect(bad.statusCode).toBe(400);
      expect(Object.keys(bad.exception!.fieldErrors!).sort()).toEqual([
        'search.ids',
        'search.numberOfResults',
        'search.sortFields[0]',
        'search.startRow',
      ]);
    });
  });

  describe('tenancy', () => {
    let tenantA: string;
    let tenantB: string;
    const email = uniqueEmail('twin');
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      tenantA = await createTenant(test);
      tenantB = await createTenant(test);
      ids.a = await createUser(test, tenantA, { email });
      ids.b = await createUser(test, tenantB, { email });
    });

    it('needs a tenant for a lookup by email, username or login id, and for a create', async () => {
      for (const call of [
        () => test.client().retrieveUserByEmail(email),
        () => test.client().retrieveUserByLoginId(email),
        () => test.client().retrieveUserByUsername('anyone'),
        () =>
          test.client().createUser(NONE, { user: { email: uniqueEmail(), password: PASSWORD } }),
        () =>
          test.client().register(NONE, {
            registration: { applicationId: randomUUID() },
            user: { email: uniqueEmail(), password: PASSWORD },
          }),
      ]) {
        expect(await failure(call())).toEqual({ statusCode: 400, exception: TENANT_REQUIRED });
      }
    });

    it('finds the right user with the header, or with a key scoped to each tenant', async () => {
      expect(
        (await test.client(test.managerKey, tenantA).retrieveUserByEmail(email)).response.user,
      ).toMatchObject({ id: ids.a, tenantId: tenantA });
      expect(
        (await test.client(test.managerKey, tenantB).retrieveUserByEmail(email)).response.user,
      ).toMatchObject({ id: ids.b, tenantId: tenantB });
      const keyA = (await createKey(test, { tenantId: tenantA })).key;
      const keyB = (await createKey(test, { tenantId: tenantB })).key;
      expect((await test.client(keyA).retrieveUserByEmail(email)).response.user!.id).toBe(ids.a);
      expect((await test.client(keyB).retrieveUserByEmail(email)).response.user!.id).toBe(ids.b);
      const created = await test
        .client(keyA)
        .createUser(NONE, { user: { email: uniqueEmail(), password: PASSWORD } });
      expect(created.response.user!.tenantId).toBe(tenantA);
    });

    it("answers 404 for another tenant's user by id, and reads any tenant's with a global key", async () => {
      const keyA = (await createKey(test, { tenantId: tenantA })).key;
      expect((await test.client(keyA).retrieveUser(ids.a)).response.user!.id).toBe(ids.a);
      for (const call of [
        () => test.client(keyA).retrieveUser(ids.b),
        () => test.client(keyA).updateUser(ids.b, { user: { email } }),
        () => test.client(keyA).patchUser(ids.b, { user: { firstName: 'x' } }),
        () => test.client(keyA).deleteUser(ids.b),
        () => test.client(test.managerKey, tenantA).retrieveUser(ids.b),
      ]) {
        expect(await failure(call())).toEqual({ statusCode: 404, exception: undefined });
      }
      expect((await test.client().retrieveUser(ids.b)).response.user!.tenantId).toBe(tenantB);
    });

    it("searches only the caller's tenant", async () => {
      const keyA = (await createKey(test, { tenantId: tenantA })).key;
      const scoped = await test.client(keyA).searchUsersByIds([ids.a, ids.b]);
      expect(scoped.response.users!.map((user) => user.id)).toEqual([ids.a]);
      const global = await test.client().searchUsersByIds([ids.a, ids.b]);
      expect(global.response.total).toBe(2);
    });

    it("removes a tenant's users with the tenant", async () => {
      const doomed = await createTenant(test);
      const id = await createUser(test, doomed);
      await test.client().deleteTenant(doomed);
      expect((await failure(test.client().retrieveUser(id))).statusCode).toBe(404);
    });
  });

  describe('bad input', () => {
    const long = (length: number) => 'x'.repeat(length);

    it('answers the three blank errors, with FusionAuth messages, for an empty user', async () => {
      for (const body of [{}, { user: {} }, { user: { email: '  ', username: '' } }]) {
        expect(await failure(client().createUser(NONE, body as never))).toEqual({
          statusCode: 400,
          exception: {
            fieldErrors: {
              'user.email': [{ code: '[blank]user.email', message: EITHER }],
              'user.username': [{ code: '[blank]user.username', message: EITHER }],
              'user.password': [
                {
                  code: '[blank]user.password',
                  message: 'You must specify the [user.password] property.',
                },
              ],
            },
          },
        });
      }
    });

    it.each<[string, Record<string, unknown>, Record<string, string>]>([
      [
        'an address that is not one',
        { email: 'not-an-email' },
        { 'user.email': '[notEmail]user.email' },
      ],
      ['a short password', { password: 'short' }, { 'user.password': '[tooShort]user.password' }],
      ['a number for an email', { email: 42 }, { 'user.email': '[couldNotConvert]user.email' }],
      [
        'an object for a name',
        { firstName: { a: 1 } },
        { 'user.firstName': '[couldNotConvert]user.firstName' },
      ],
      ['a string for the data', { data: 'text' }, { 'user.data': '[couldNotConvert]user.data' }],
      [
        'an unknown time zone',
        { timezone: 'Mars/Olympus' },
        { 'user.timezone': '[couldNotConvert]user.timezone' },
      ],
      [
        'a birth date that is no day',
        { birthDate: '2001-02-30' },
        { 'user.birthDate': '[couldNotConvert]user.birthDate' },
      ],
      [
        'a birth date in another format',
        { birthDate: '10/12/1815' },
        { 'user.birthDate': '[couldNotConvert]user.birthDate' },
      ],
      [
        'languages that are not tags',
        { preferredLanguages: ['english!'] },
        { 'user.preferredLanguages': '[couldNotConvert]user.preferredLanguages' },
      ],
      [
        'a string for languages',
        { preferredLanguages: 'en' },
        { 'user.preferredLanguages': '[couldNotConvert]user.preferredLanguages' },
      ],
      [
        'a string for a flag',
        { passwordChangeRequired: 'maybe' },
        { 'user.passwordChangeRequired': '[couldNotConvert]user.passwordChangeRequired' },
      ],
      [
        'an oversize email',
        { email: `${long(200)}@example.com` },
        { 'user.email': '[tooLong]user.email' },
      ],
      [
        'an oversize username',
        { username: long(192) },
        { 'user.username': '[tooLong]user.username' },
      ],
      ['an oversize name', { lastName: long(192) }, { 'user.lastName': '[tooLong]user.lastName' }],
      [
        'an oversize password',
        { password: long(257) },
        { 'user.password': '[tooLong]user.password' },
      ],
      [
        'a control character in a name',
        { fullName: 'a\nb' },
        { 'user.fullName': '[invalid]user.fullName' },
      ],
    ])('refuses %s', async (_, user, expected) => {
      const rejected = await failure(
        client().createUser(NONE, {
          user: { email: uniqueEmail('bad'), password: PASSWORD, ...user },
        }),
      );
      expect(rejected.statusCode).toBe(400);
      const codes = Object.fromEntries(
        Object.entries(rejected.exception!.fieldErrors!).map(([field, errors]) => [
          field,
          errors.map((error) => error.code).join(' '),
        ]),
      );
      expect(codes).toEqual(expected);
    });

    it('says how short a password may be', async () => {
      const rejected = await failure(
        client().createUser(NONE, { user: { email: uniqueEmail(), password: '1234567' } }),
      );
      expect(rejected.exception).toEqual({
        fieldErrors: {
          'user.password': [
            {
              code: '[tooShort]user.password',
              message:
                'The [user.password] property is shorter than the minimum of [8] characters.',
            },
          ],
        },
      });
    });

    it('refuses a user that is not an object, a flag of the wrong type, and malformed JSON', async () => {
      const notObject = await failure(client().createUser(NONE, { user: 'me' } as never));
      expect(notObject.exception).toMatchObject({
        fieldErrors: { user: [{ code: '[couldNotConvert]user' }] },
      });
      const flag = await failure(
        client().createUser(NONE, {
          skipVerification: 'yes' as never,
          user: { email: uniqueEmail(), password: PASSWORD },
        }),
      );
      expect(flag.exception).toMatchObject({
        fieldErrors: { skipVerification: [{ code: '[couldNotConvert]skipVerification' }] },
      });
      const malformed = await test.http('/api/user', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fusionauth-tenantid': tenant },
        body: '{"user": ',
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({
        generalErrors: [{ code: '[couldNotParseJSON]' }],
      });
    });

    it('refuses bad input on PUT as on create, and leaves the user as it was', async () => {
      const id = await createUser(test, tenant, { firstName: 'Kept' });
      const rejected = await failure(
        client().updateUser(id, { user: { email: 'nope', password: 'short' } }),
      );
      expect(Object.keys(rejected.exception!.fieldErrors!).sort()).toEqual([
        'user.email',
        'user.password',
      ]);
      expect((await client().retrieveUser(id)).response.user!.firstName).toBe('Kept');
    });
  });
});

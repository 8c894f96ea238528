import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RegistrationEntity } from '../../src/registration/registration.entity';
import { RegistrationRepository } from '../../src/registration/registration.repository';
import { createKey, createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { createUser, PASSWORD, seedApplication, uniqueEmail } from '../support/fixtures';

const NONE = null as unknown as string;

/** The field codes of a rejected call, one string per field. */
function codesOf(exception: {
  fieldErrors?: Record<string, { code: string }[]>;
}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(exception.fieldErrors ?? {}).map(([field, errors]) => [
      field,
      errors.map((error) => error.code).join(' '),
    ]),
  );
}

describe.each(dialects())('Registration API on %s', (dialect) => {
  let test: TestApp;
  let tenant: string;
  let applicationId: string;
  const client = () => test.client(test.managerKey, tenant);

  beforeAll(async () => {
    test = await startApp(dialect);
    tenant = await createTenant(test);
    applicationId = (await seedApplication(test, tenant, ['admin', 'editor', 'viewer']))
      .applicationId;
  });
  afterAll(() => test?.close());

  describe('register an existing user', () => {
    it('registers, then retrieves the registration alone and inside the user', async () => {
      const userId = await createUser(test, tenant);
      const registered = await client().register(userId, {
        skipRegistrationVerification: true,
        registration: {
          applicationId,
          roles: ['viewer', 'admin', 'admin'],
          data: { plan: 'gold' },
          username: 'player-one',
          preferredLanguages: ['en', 'de'],
          timezone: 'America/Denver',
        },
      });
      expect(registered.statusCode).toBe(200);
      const registration = registered.response.registration!;
      expect(registered.response).toEqual({
        registration: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
          applicationId,
          roles: ['admin', 'viewer'],
          data: { plan: 'gold' },
          username: 'player-one',
          preferredLanguages: ['en', 'de'],
          timezone: 'America/Denver',
          verified: true,
          insertInstant: expect.any(Number) as unknown,
          lastUpdateInstant: registration.insertInstant,
        },
      });
      const retrieved = await client().retrieveRegistration(userId, applicationId);
      expect(retrieved.response).toEqual({ registration });
      expect((await client().retrieveUser(userId)).response.user!.registrations).toEqual([
        registration,
      ]);
    });

    it('registers with only an application id: no roles, empty data, unverified', async () => {
      const userId = await createUser(test, tenant);
      const registered = await client().register(userId, { registration: { applicationId } });
      expect(registered.response.registration).toEqual({
        id: expect.any(String) as unknown,
        applicationId,
        roles: [],
        data: {},
        verified: false,
        insertInstant: expect.any(Number) as unknown,
        lastUpdateInstant: expect.any(Number) as unknown,
      });
    });

    it('refuses a second registration to the same application', async () => {
      const userId = await createUser(test, tenant);
      await client().register(userId, { registration: { applicationId } });
      const again = await failure(
        client().register(userId, { registration: { applicationId, roles: ['admin'] } }),
      );
      expect(again).toEqual({
        statusCode: 400,
        exception: {
          fieldErrors: {
            registration: [
              {
                code: '[duplicate]registration',
                message: `The User is already registered to the Application with Id [${applicationId}].`,
              },
            ],
          },
        },
      });
    });

    it('answers 404 for a user that does not exist', async () => {
      expect(
        await failure(client().register(randomUUID(), { registration: { applicationId } })),
      ).toEqual({ statusCode: 404, exception: undefined });
    });
  });

  describe('create a user and a registration together', () => {
    it('creates both from POST /api/user/registration', async () => {
      const email = uniqueEmail('together');
      const created = await client().register(NONE, {
        registration: { applicationId, roles: ['editor'] },
        user: { email, password: PASSWORD, firstName: 'Together' },
        skipVerification: true,
      });
      expect(created.statusCode).toBe(200);
      const { registration, user } = created.response;
      expect(registration).toMatchObject({ applicationId, roles: ['editor'] });
      expect(user).toMatchObject({
        email,
        firstName: 'Together',
        tenantId: tenant,
        verified: true,
        registrations: [registration],
      });
      expect((await client().retrieveUserByEmail(email)).response.user!.id).toBe(user!.id);
    });

    it('creates both with the user id of the path', async () => {
      const userId = randomUUID();
      const created = await client().register(userId, {
        registration: { applicationId },
        user: { username: `path-${userId}`, password: PASSWORD },
      });
      expect(created.response.user!.id).toBe(userId);
      expect((await client().retrieveRegistration(userId, applicationId)).statusCode).toBe(200);
    });

    it('creates neither when either part is bad, and reports both parts at once', async () => {
      const email = uniqueEmail('neither');
      const both = await failure(
        client().register(NONE, {
          registration: { applicationId: 'nope' },
          user: { email, password: 'short' },
        }),
      );
      expect(codesOf(both.exception!)).toEqual({
        'registration.applicationId': '[couldNotConvert]registration.applicationId',
        'user.password': '[tooShort]user.password',
      });
      const badRole = await failure(
        client().register(NONE, {
          registration: { applicationId, roles: ['owner'] },
          user: { email, password: PASSWORD },
        }),
      );
      expect(codesOf(badRole.exception!)).toEqual({
        'registration.roles': '[invalid]registration.roles',
      });
      expect((await failure(client().retrieveUserByEmail(email))).statusCode).toBe(404);
    });

    it('rolls the user back when the registration cannot be written', async () => {
      // A fault injected into the registration write, after the user row is inserted.
      const repository = test.app.get(RegistrationRepository);
      const fault = jest
        .spyOn(repository, 'insert')
        .mockRejectedValueOnce(new Error('injected write failure'));
      const email = uniqueEmail('rollback');
      try {
        const failed = await failure(
          client().register(NONE, {
            registration: { applicationId },
            user: { email, password: PASSWORD },
          }),
        );
        expect(failed.statusCode).toBe(500);
      } finally {
        fault.mockRestore();
      }
      expect((await failure(client().retrieveUserByEmail(email))).statusCode).toBe(404);
      const retried = await client().register(NONE, {
        registration: { applicationId },
        user: { email, password: PASSWORD },
      });
      expect(retried.response.user!.registrations).toHaveLength(1);
    });

    it('needs the user part: an empty body is the three blank user errors and a blank application', async () => {
      const empty = await failure(client().register(NONE, {}));
      expect(codesOf(empty.exception!)).toEqual({
        'registration.applicationId': '[blank]registration.applicationId',
        'user.email': '[blank]user.email',
        'user.username': '[blank]user.username',
        'user.password': '[blank]user.password',
      });
    });
  });

  describe('update, patch and delete', () => {
    it('replaces a registration on PUT', async () => {
      const userId = await createUser(test, tenant);
      await client().register(userId, {
        registration: { applicationId, roles: ['admin'], username: 'before', data: { a: 1 } },
      });
      const updated = await client().updateRegistration(userId, {
        registration: { applicationId, roles: ['editor', 'viewer'], data: { b: 2 } },
      });
      expect(updated.statusCode).toBe(200);
      const registration = updated.response.registration!;
      expect(registration).toMatchObject({
        applicationId,
        roles: ['editor', 'viewer'],
        data: { b: 2 },
      });
      expect(registration.username).toBeUndefined();
      expect(registration.lastUpdateInstant).toBeGreaterThanOrEqual(registration.insertInstant!);
      expect((await client().retrieveRegistration(userId, applicationId)).response).toEqual({
        registration,
      });
    });

    it('merges a PATCH: roles are added, data merged', async () => {
      const userId = await createUser(test, tenant);
      await client().register(userId, {
        registration: { applicationId, roles: ['viewer'], data: { a: 1, b: 2 } },
      });
      const patched = await client().patchRegistration(userId, {
        registration: { applicationId, roles: ['admin'], data: { b: null, c: 3 } },
      });
      expect(patched.response.registration).toMatchObject({
        roles: ['admin', 'viewer'],
        data: { a: 1, c: 3 },
      });
    });

    it('refuses unknown roles on PUT and PATCH, and 404s an application the user is not registered to', async () => {
      const userId = await createUser(test, tenant);
      await client().register(userId, { registration: { applicationId } });
      for (const call of [
        () =>
          client().updateRegistration(userId, { registration: { applicationId, roles: ['root'] } }),
        () =>
          client().patchRegistration(userId, { registration: { applicationId, roles: ['root'] } }),
      ]) {
        const rejected = await failure(call());
        expect(codesOf(rejected.exception!)).toEqual({
          'registration.roles': '[invalid]registration.roles',
        });
      }
      const other = (await seedApplication(test, tenant)).applicationId;
      for (const call of [
        () => client().updateRegistration(userId, { registration: { applicationId: other } }),
        () => client().patchRegistration(userId, { registration: { applicationId: other } }),
        () => client().retrieveRegistration(userId, other),
        () => client().deleteRegistration(userId, other),
      ]) {
        expect(await failure(call())).toEqual({ statusCode: 404, exception: undefined });
      }
      const blank = await failure(client().patchRegistration(userId, { registration: {} }));
      expect(codesOf(blank.exception!)).toEqual({
        'registration.applicationId': '[blank]registration.applicationId',
      });
    });

    it('deletes a registration with an empty 200', async () => {
      const userId = await createUser(test, tenant);
      await client().register(userId, { registration: { applicationId } });
      const deleted = await client().deleteRegistration(userId, applicationId);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();
      expect((await failure(client().retrieveRegistration(userId, applicationId))).statusCode).toBe(
        404,
      );
      expect((await client().retrieveUser(userId)).response.user!.registrations).toEqual([]);
    });

    it("removes a user's registrations when the user is deleted", async () => {
      const userId = await createUser(test, tenant);
      await client().register(userId, { registration: { applicationId } });
      await client().deleteUser(userId);
      const left = await test.app
        .get(DataSource)
        .getRepository(RegistrationEntity)
        .countBy({ userId });
      expect(left).toBe(0);
    });
  });

  describe('tenancy', () => {
    it("refuses another tenant's application, and hides another tenant's user", async () => {
      const otherTenant = await createTenant(test);
      const foreignApplication = (await seedApplication(test, otherTenant, ['admin']))
        .applicationId;
      const userId = await createUser(test, tenant);
      const rejected = await failure(
        client().register(userId, { registration: { applicationId: foreignApplication } }),
      );
      expect(rejected.exception).toEqual({
        fieldErrors: {
          'registration.applicationId': [
            {
              code: '[invalid]registration.applicationId',
              message: `No Application with Id [${foreignApplication}] exists.`,
            },
          ],
        },
      });
      await client().register(userId, { registration: { applicationId } });
      const foreignKey = (await createKey(test, { tenantId: otherTenant })).key;
      const foreign = test.client(foreignKey);
      for (const call of [
        () => foreign.register(userId, { registration: { applicationId: foreignApplication } }),
        () => foreign.retrieveRegistration(userId, applicationId),
        () => foreign.updateRegistration(userId, { registration: { applicationId } }),
        () => foreign.patchRegistration(userId, { registration: { applicationId } }),
        () => foreign.deleteRegistration(userId, applicationId),
      ]) {
        expect(await failure(call())).toEqual({ statusCode: 404, exception: undefined });
      }
      const ownKey = (await createKey(test, { tenantId: tenant })).key;
      expect(
        (await test.client(ownKey).retrieveRegistration(userId, applicationId)).statusCode,
      ).toBe(200);
    });
  });

  describe('bad input', () => {
    let userId: string;

    beforeAll(async () => {
      userId = await createUser(test, tenant);
    });

    it.each<[string, () => Record<string, unknown>, Record<string, string>]>([
      [
        'no application',
        () => ({}),
        { 'registration.applicationId': '[blank]registration.applicationId' },
      ],
      [
        'an application id that is no UUID',
        () => ({ applicationId: '12345' }),
        { 'registration.applicationId': '[couldNotConvert]registration.applicationId' },
      ],
      [
        'an application that does not exist',
        () => ({ applicationId: randomUUID() }),
        { 'registration.applicationId': '[invalid]registration.applicationId' },
      ],
      [
        'an unknown role',
        () => ({ applicationId, roles: ['admin', 'superuser'] }),
        { 'registration.roles': '[invalid]registration.roles' },
      ],
      [
        'roles that are not a list of strings',
        () => ({ applicationId, roles: 'admin' }),
        { 'registration.roles': '[couldNotConvert]registration.roles' },
      ],
      [
        'a role name of a number',
        () => ({ applicationId, roles: [7] }),
        { 'registration.roles': '[couldNotConvert]registration.roles' },
      ],
      [
        'an oversize role name',
        () => ({ applicationId, roles: ['r'.repeat(192)] }),
        { 'registration.roles': '[tooLong]registration.roles' },
      ],
      [
        'an oversize username',
        () => ({ applicationId, username: 'u'.repeat(192) }),
        { 'registration.username': '[tooLong]registration.username' },
      ],
      [
        'data that is not an object',
        () => ({ applicationId, data: [1] }),
        { 'registration.data': '[couldNotConvert]registration.data' },
      ],
      [
        'an unknown time zone',
        () => ({ applicationId, timezone: 'Nowhere/Land' }),
        { 'registration.timezone': '[couldNotConvert]registration.timezone' },
      ],
    ])('refuses %s with 400', async (_, registration, expected) => {
      const rejected = await failure(client().register(userId, { registration: registration() }));
      expect(rejected.statusCode).toBe(400);
      expect(codesOf(rejected.exception!)).toEqual(expected);
    });

    it('refuses a registration that is not an object, and a bad user id in the path', async () => {
      const notObject = await failure(client().register(userId, { registration: 5 } as never));
      expect(codesOf(notObject.exception!)).toEqual({
        registration: '[couldNotConvert]registration',
        'registration.applicationId': '[blank]registration.applicationId',
      });
      const badPath = await failure(client().retrieveRegistration('123', applicationId));
      expect(codesOf(badPath.exception!)).toEqual({ userId: '[couldNotConvert]userId' });
      const badApplication = await failure(client().deleteRegistration(userId, 'abc'));
      expect(codesOf(badApplication.exception!)).toEqual({
        applicationId: '[couldNotConvert]applicationId',
      });
    });
  });
});

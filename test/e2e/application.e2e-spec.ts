import type { Application } from '@fusionauth/typescript-client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RegistrationEntity } from '../../src/registration/registration.entity';
import { createKey, createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { fieldCodes, seedUser, uniqueName } from '../support/fixtures';

const NONE = null as unknown as string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TENANT_ID_REQUIRED = {
  generalErrors: [
    {
      code: '[TenantIdRequired]',
      message:
        'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
    },
  ],
};
const NOT_REQUIRED = { enabled: false, required: false };

/** What a new application holds when the request gives only its name. */
function defaults(id: string, tenantId: string, name: string, instant: number): Application {
  return {
    id,
    tenantId,
    name,
    active: true,
    state: 'Active' as Application['state'],
    data: {},
    roles: [],
    jwtConfiguration: {
      enabled: false,
      timeToLiveInSeconds: 3600,
      refreshTokenTimeToLiveInMinutes: 43_200,
      refreshTokenExpirationPolicy: 'Fixed' as never,
      refreshTokenUsagePolicy: 'Reusable' as never,
    },
    loginConfiguration: {
      allowTokenRefresh: false,
      generateRefreshTokens: false,
      requireAuthentication: true,
    },
    oauthConfiguration: {
      clientId: id,
      clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown as string,
      enabledGrants: [],
      generateRefreshTokens: true,
      authorizedRedirectURLs: [],
      clientAuthenticationPolicy: 'Required' as never,
    },
    registrationConfiguration: {
      enabled: false,
      type: 'basic' as never,
      confirmPassword: false,
      loginIdType: 'email' as never,
      birthDate: NOT_REQUIRED,
      firstName: NOT_REQUIRED,
      fullName: NOT_REQUIRED,
      lastName: NOT_REQUIRED,
      middleName: NOT_REQUIRED,
      mobilePhone: NOT_REQUIRED,
      preferredLanguages: NOT_REQUIRED,
    },
    verifyRegistration: false,
    accessControlConfiguration: {},
    insertInstant: instant,
    lastUpdateInstant: instant,
  };
}

describe.each(dialects())('Application API on %s', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(() => test?.close());

  it('creates in the only tenant there is when no tenant is named', async () => {
    const created = await test
      .client()
      .createApplication(NONE, { application: { name: uniqueName('sole') } });
    expect(created.response.application!.tenantId).toBe(test.defaultTenantId);
  });

  describe('with several tenants', () => {
    let tenantA: string;
    let tenantB: string;
    const inA = () => test.client(test.managerKey, tenantA);

    beforeAll(async () => {
      tenantA = await createTenant(test);
      tenantB = await createTenant(test);
    });

    it('creates an application with defaults, and retrieves it', async () => {
      const name = uniqueName('plain');
      const before = Date.now();
      const created = await inA().createApplication(NONE, { application: { name } });
      expect(created.statusCode).toBe(200);
      const application = created.response.application!;
      expect(application.id).toMatch(UUID);
      expect(application).toEqual(
        defaults(application.id!, tenantA, name, application.insertInstant!),
      );
      expect(application.insertInstant).toBeGreaterThanOrEqual(before);
      const retrieved = await test.client().retrieveApplication(application.id!);
      expect(retrieved.response).toEqual({ application });
    });

    it('creates with a chosen id, roles and configuration; a second create of the id is refused', async () => {
      const id = randomUUID();
      const created = await inA().createApplication(id, {
        application: {
          name: uniqueName('chosen'),
          data: { tier: 'gold' },
          roles: [
            { name: 'admin', description: 'Administrators', isSuperRole: true },
            { name: 'user', isDefault: true },
          ],
          jwtConfiguration: { enabled: true, timeToLiveInSeconds: 600 },
          loginConfiguration: { generateRefreshTokens: true },
          oauthConfiguration: {
            enabledGrants: ['authorization_code', 'refresh_token'] as never,
            generateRefreshTokens: false,
            authorizedRedirectURLs: ['https://example.com/callback'],
          },
          registrationConfiguration: { enabled: true, firstName: { enabled: true } },
        },
      });
      const application = created.response.application!;
      expect(application).toMatchObject({
        id,
        data: { tier: 'gold' },
        jwtConfiguration: { enabled: true, timeToLiveInSeconds: 600 },
        loginConfiguration: { generateRefreshTokens: true, allowTokenRefresh: false },
        oauthConfiguration: {
          clientId: id,
          enabledGrants: ['authorization_code', 'refresh_token'],
          generateRefreshTokens: false,
          authorizedRedirectURLs: ['https://example.com/callback'],
        },
        registrationConfiguration: {
          enabled: true,
          firstName: { enabled: true, required: false },
        },
      });
      expect(application.roles).toEqual([
        {
          id: expect.stringMatching(UUID) as string,
          name: 'admin',
          description: 'Administrators',
          isDefault: false,
          isSuperRole: true,
          insertInstant: application.insertInstant,
          lastUpdateInstant: application.insertInstant,
        },
        {
          id: expect.stringMatching(UUID) as string,
          name: 'user',
          isDefault: true,
          isSuperRole: false,
          insertInstant: application.insertInstant,
          lastUpdateInstant: application.insertInstant,
        },
      ]);
      expect((await test.client().retrieveApplication(id)).response.application).toEqual(
        application,
      );
      const again = await failure(inA().createApplication(id, { application: { name: 'x' } }));
      expect(again.statusCode).toBe(400);
      expect(again.exception).toMatchObject({
        fieldErrors: { applicationId: [{ code: '[duplicate]applicationId' }] },
      });
    });

    it('refuses verifyRegistration without a verification email template (FusionAuth client test)', async () => {
      const rejected = await failure(
        inA().createApplication(NONE, {
          application: { name: 'Bad Application', verifyRegistration: true },
        }),
      );
      expect(rejected.statusCode).toBe(400);
      expect(rejected.exception).toEqual({
        fieldErrors: {
          'application.verificationEmailTemplateId': [
            {
              code: '[blank]application.verificationEmailTemplateId',
              message:
                'You must specify the [application.verificationEmailTemplateId] property when [application.verifyRegistration] is true.',
            },
          ],
        },
      });
    });

    it('patches loginConfiguration.allowTokenRefresh and keeps the rest (FusionAuth client test)', async () => {
      const created = await inA().createApplication(NONE, {
        application: { name: uniqueName('patch'), data: { keep: true } },
      });
      const { id } = created.response.application!;
      const patched = await test.client().patchApplication(id!, {
        application: { loginConfiguration: { allowTokenRefresh: true } },
      });
      expect(patched.statusCode).toBe(200);
      const application = patched.response.application!;
      expect(application.loginConfiguration!.allowTokenRefresh).toBe(true);
      expect(application).toEqual({
        ...created.response.application,
        loginConfiguration: {
          ...created.response.application!.loginConfiguration,
          allowTokenRefresh: true,
        },
        lastUpdateInstant: application.lastUpdateInstant,
      });
    });

    it('replaces on PUT, but leaves roles and the client secret alone', async () => {
      const created = await inA().createApplication(NONE, {
        application: { name: uniqueName('put'), data: { old: 1 }, roles: [{ name: 'admin' }] },
      });
      const before = created.response.application!;
      const updated = await test.client().updateApplication(before.id!, {
        application: { name: `${before.name}-renamed`, roles: [{ name: 'ignored' }] },
      });
      const application = updated.response.application!;
      expect(application).toEqual({
        ...before,
        name: `${before.name}-renamed`,
        data: {},
        lastUpdateInstant: application.lastUpdateInstant,
      });
      expect(application.roles!.map((role) => role.name)).toEqual(['admin']);
      expect(application.oauthConfiguration!.clientSecret).toBe(
        before.oauthConfiguration!.clientSecret,
      );
    });

    it('deactivates, lists active and inactive apart, and reactivates', async () => {
      const { id } = (
        await inA().createApplication(NONE, {
          application: { name: uniqueName('lifecycle') },
        })
      ).response.application!;
      const listed = async (inactive: boolean) => {
        const client = test.client(test.managerKey, tenantA);
        const response = inactive
          ? await client.retrieveInactiveApplications()
          : await client.retrieveApplications();
        return response.response.applications!.map((application) => application.id);
      };
      expect(await listed(false)).toContain(id);
      expect(await listed(true)).not.toContain(id);

      const deactivated = await test.client().deactivateApplication(id!);
      expect(deactivated.statusCode).toBe(200);
      expect(deactivated.response).toBeUndefined();
      expect(await listed(false)).not.toContain(id);
      expect(await listed(true)).toContain(id);
      expect((await test.client().retrieveApplication(id!)).response.application).toMatchObject({
        active: false,
        state: 'Inactive',
      });

      const reactivated = await test.client().reactivateApplication(id!);
      expect(reactivated.response.application).toMatchObject({ id, active: true, state: 'Active' });
      expect(await listed(false)).toContain(id);
    });

    it('hard-deletes an application with its roles and registrations', async () => {
      const { id, roles } = (
        await inA().createApplication(NONE, {
          application: { name: uniqueName('doomed'), roles: [{ name: 'admin' }] },
        })
      ).response.application!;
      const userId = await seedUser(test, tenantA);
      const registrations = test.app.get(DataSource).getRepository(RegistrationEntity);
      await registrations.save(registration(userId, id!, tenantA, ['admin']));
      const deleted = await test.client().deleteApplication(id!);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();
      expect((await failure(test.client().retrieveApplication(id!))).statusCode).toBe(404);
      expect(await registrations.countBy({ applicationId: id! })).toBe(0);
      const role = await failure(
        test.client().updateApplicationRole(id!, roles![0].id!, { role: { name: 'admin' } }),
      );
      expect(role.statusCode).toBe(404);
      expect((await failure(test.client().deleteApplication(id!))).statusCode).toBe(404);
    });

    it('copies an application of the same tenant, roles included, with a new client secret', async () => {
      const source = (
        await inA().createApplication(NONE, {
          application: {
            name: uniqueName('source'),
            data: { copied: true },
            roles: [{ name: 'admin', isSuperRole: true }],
            loginConfiguration: { allowTokenRefresh: true },
          },
        })
      ).response.application!;
      const name = uniqueName('copy');
      const copy = (
        await inA().createApplication(NONE, {
          sourceApplicationId: source.id,
          application: { name },
        })
      ).response.application!;
      expect(copy).toMatchObject({
        name,
        tenantId: tenantA,
        data: { copied: true },
        loginConfiguration: { allowTokenRefresh: true },
        roles: [{ name: 'admin', isSuperRole: true }],
      });
      expect(copy.id).not.toBe(source.id);
      expect(copy.roles![0].id).not.toBe(source.roles![0].id);
      expect(copy.oauthConfiguration!.clientSecret).not.toBe(
        source.oauthConfiguration!.clientSecret,
      );
      const fromOtherTenant = await failure(
        test.client(test.managerKey, tenantB).createApplication(NONE, {
          sourceApplicationId: source.id,
          application: { name },
        }),
      );
      expect(fromOtherTenant.statusCode).toBe(400);
      expect(fromOtherTenant.exception).toEqual({
        fieldErrors: {
          sourceApplicationId: [
            {
              code: '[invalid]sourceApplicationId',
              message: 'The [sourceApplicationId] names no application of this tenant.',
            },
          ],
        },
      });
    });

    describe('roles', () => {
      let applicationId: string;

      beforeAll(async () => {
        applicationId = (
          await inA().createApplication(NONE, {
            application: { name: uniqueName('roles') },
          })
        ).response.application!.id!;
      });

      it('creates, updates, patches and deletes a role', async () => {
        const created = await test.client().createApplicationRole(applicationId, NONE, {
          role: { name: 'editor', description: 'Edits' },
        });
        expect(created.statusCode).toBe(200);
        const role = created.response.role!;
        expect(role).toEqual({
          id: expect.stringMatching(UUID) as string,
          name: 'editor',
          description: 'Edits',
          isDefault: false,
          isSuperRole: false,
          insertInstant: role.insertInstant,
          lastUpdateInstant: role.insertInstant,
        });

        const updated = await test.client().updateApplicationRole(applicationId, role.id!, {
          role: { name: 'editor', isDefault: true },
        });
        expect(updated.response.role).toEqual({
          ...role,
          description: undefined,
          isDefault: true,
          lastUpdateInstant: updated.response.role!.lastUpdateInstant,
        });

        const patched = await test.client().patchApplicationRole(applicationId, role.id!, {
          role: { isSuperRole: true },
        });
        expect(patched.response.role).toMatchObject({
          name: 'editor',
          isDefault: true,
          isSuperRole: true,
        });
        const application = (await test.client().retrieveApplication(applicationId)).response
          .application!;
        expect(application.roles).toEqual([patched.response.role]);

        const deleted = await test.client().deleteApplicationRole(applicationId, role.id!);
        expect(deleted.statusCode).toBe(200);
        expect(deleted.response).toBeUndefined();
        expect(
          (await failure(test.client().deleteApplicationRole(applicationId, role.id!))).statusCode,
        ).toBe(404);
      });

      it('creates a role with a chosen id; refuses a duplicate id or name, and a rename', async () => {
        const roleId = randomUUID();
        const created = await test
          .client()
          .createApplicationRole(applicationId, roleId, { role: { name: 'viewer' } });
        expect(created.response.role!.id).toBe(roleId);
        const byId = await failure(
          test.client().createApplicationRole(applicationId, roleId, { role: { name: 'other' } }),
        );
        expect(byId.exception).toMatchObject({
          fieldErrors: { roleId: [{ code: '[duplicate]roleId' }] },
        });
        const byName = await failure(
          test.client().createApplicationRole(applicationId, NONE, { role: { name: 'viewer' } }),
        );
        expect(byName.statusCode).toBe(400);
        expect(byName.exception).toEqual({
          fieldErrors: {
            'role.name': [
              {
                code: '[duplicate]role.name',
                message: 'The value of [role.name] is already in use.',
              },
            ],
          },
        });
        const renamed = await failure(
          test.client().updateApplicationRole(applicationId, roleId, { role: { name: 'seer' } }),
        );
        expect(renamed.statusCode).toBe(400);
        expect(renamed.exception).toEqual({
          fieldErrors: {
            'role.name': [
              {
                code: '[notAllowed]role.name',
                message: 'The [role.name] cannot be changed: registrations hold roles by name.',
              },
            ],
          },
        });
      });

      it('deletes a role by name, and takes it from the registrations that held it', async () => {
        await test
          .client()
          .createApplicationRole(applicationId, NONE, { role: { name: 'temporary' } });
        const userId = await seedUser(test, tenantA);
        const registrations = test.app.get(DataSource).getRepository(RegistrationEntity);
        const held = registration(userId, applicationId, tenantA, ['temporary', 'kept']);
        await registrations.save(held);

        const missing = await test.http(`/api/application/${applicationId}/role`, {
          method: 'DELETE',
        });
        expect(missing.status).toBe(400);
        expect(await missing.json()).toEqual({
          fieldErrors: {
            name: [{ code: '[missing]name', message: 'The [name] was not specified.' }],
          },
        });
        const deleted = await test.http(`/api/application/${applicationId}/role?name=temporary`, {
          method: 'DELETE',
        });
        expect(deleted.status).toBe(200);
        expect(await deleted.text()).toBe('');
        expect((await registrations.findOneBy({ id: held.id }))!.roles).toEqual(['kept']);
        const again = await test.http(`/api/application/${applicationId}/role?name=temporary`, {
          method: 'DELETE',
        });
        expect(again.status).toBe(404);
      });

      it('answers 404 for a role of an application that does not exist', async () => {
        const rejected = await failure(
          test.client().createApplicationRole(randomUUID(), NONE, { role: { name: 'x' } }),
        );
        expect(rejected).toEqual({ statusCode: 404, exception: undefined });
      });
    });

    it('searches by name, by POST and by GET, with a total', async () => {
      const prefix = uniqueName('findme');
      for (const suffix of ['a', 'b', 'c'])
        await inA().createApplication(NONE, { application: { name: `${prefix}-${suffix}` } });
      const found = await test
        .client()
        .searchApplications({ search: { name: `${prefix}*`, numberOfResults: 2 } });
      expect(found.statusCode).toBe(200);
      expect(found.response.total).toBe(3);
      expect(found.response.applications!.map((application) => application.name)).toEqual([
        `${prefix}-a`,
        `${prefix}-b`,
      ]);
      const byGet = await test.http(
        `/api/application/search?name=${prefix}&startRow=2&numberOfResults=undefined`,
      );
      const body = (await byGet.json()) as { applications: Application[]; total: number };
      expect(body.total).toBe(3);
      expect(body.applications.map((application) => application.name)).toEqual([`${prefix}-c`]);
      const elsewhere = await test.client().searchApplications({
        search: { name: `${prefix}*`, tenantId: tenantB },
      });
      expect(elsewhere.response).toEqual({ applications: [], total: 0 });
    });

    describe('tenancy', () => {
      it('refuses a create naming no tenant while several exist', async () => {
        const rejected = await failure(
          test.client().createApplication(NONE, { application: { name: uniqueName('where') } }),
        );
        expect(rejected.statusCode).toBe(400);
        expect(rejected.exception).toEqual(TENANT_ID_REQUIRED);
      });

      it('confines a tenant-scoped key, and a tenant header, to their tenant', async () => {
        const name = uniqueName('same-name');
        const a = (await inA().createApplication(NONE, { application: { name } })).response
          .application!;
        const b = (
          await test.client(test.managerKey, tenantB).createApplication(NONE, {
            application: { name },
          })
        ).response.application!;
        expect(b.tenantId).toBe(tenantB);
        const scopedB = (await createKey(test, { tenantId: tenantB })).key;
        const listed = (await test.client(scopedB).retrieveApplications()).response.applications!;
        expect(listed.map((application) => application.tenantId)).toEqual(
          listed.map(() => tenantB),
        );
        expect(listed.map((application) => application.id)).toContain(b.id);
        const searched = await test.client(scopedB).searchApplications({ search: { name } });
        expect(searched.response.applications!.map((application) => application.id)).toEqual([
          b.id,
        ]);
        const created = await test
          .client(scopedB)
          .createApplication(NONE, { application: { name: uniqueName('scoped') } });
        expect(created.response.application!.tenantId).toBe(tenantB);

        for (const client of [test.client(scopedB), test.client(test.managerKey, tenantB)]) {
          expect(await failure(client.retrieveApplication(a.id!))).toEqual({
            statusCode: 404,
            exception: undefined,
          });
          expect((await failure(client.deactivateApplication(a.id!))).statusCode).toBe(404);
          expect(
            (await failure(client.createApplicationRole(a.id!, NONE, { role: { name: 'r' } })))
              .statusCode,
          ).toBe(404);
        }
        expect((await test.client().retrieveApplication(a.id!)).response.application!.active).toBe(
          true,
        );
      });

      it('removes the applications of a deleted tenant', async () => {
        const doomed = await createTenant(test);
        const { id } = (
          await test.client(test.managerKey, doomed).createApplication(NONE, {
            application: { name: uniqueName('gone'), roles: [{ name: 'admin' }] },
          })
        ).response.application!;
        await test.client().deleteTenant(doomed);
        expect((await failure(test.client().retrieveApplication(id!))).statusCode).toBe(404);
      });
    });

    describe('bad input', () => {
      let existing: string;

      beforeAll(async () => {
        existing = (
          await inA().createApplication(NONE, {
            application: { name: uniqueName('target') },
          })
        ).response.application!.id!;
      });

      const long = 'x'.repeat(192);
      const rows: [
        string,
        'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
        string,
        unknown,
        string[],
      ][] = [
        ['no body', 'POST', '', undefined, ['[couldNotParseJSON]']],
        ['no name', 'POST', '', { application: {} }, ['[blank]application.name']],
        ['blank name', 'POST', '', { application: { name: '  ' } }, ['[blank]application.name']],
        [
          'numeric name',
          'POST',
          '',
          { application: { name: 7 } },
          ['[couldNotConvert]application.name'],
        ],
        [
          'oversize name',
          'POST',
          '',
          { application: { name: long } },
          ['[tooLong]application.name'],
        ],
        [
          'application not an object',
          'POST',
          '',
          { application: [] },
          ['[couldNotConvert]application'],
        ],
        [
          'data not an object',
          'POST',
          '',
          { application: { name: 'n', data: 'x' } },
          ['[couldNotConvert]application.data'],
        ],
        [
          'roles not a list',
          'POST',
          '',
          { application: { name: 'n', roles: {} } },
          ['[couldNotConvert]application.roles'],
        ],
        [
          'role without a name',
          'POST',
          '',
          { application: { name: 'n', roles: [{}] } },
          ['[blank]application.roles.name'],
        ],
        [
          'the same role twice',
          'POST',
          '',
          { application: { name: 'n', roles: [{ name: 'a' }, { name: 'a' }] } },
          ['[duplicate]application.roles.name'],
        ],
        [
          'bad source id',
          'POST',
          '',
          { sourceApplicationId: 'nope', application: { name: 'n' } },
          ['[couldNotConvert]sourceApplicationId'],
        ],
        [
          'bad boolean',
          'POST',
          '',
          { application: { name: 'n', loginConfiguration: { allowTokenRefresh: 'yes' } } },
          ['[couldNotConvert]application.loginConfiguration.allowTokenRefresh'],
        ],
        [
          'negative lifetime',
          'POST',
          '',
          { application: { name: 'n', jwtConfiguration: { timeToLiveInSeconds: -1 } } },
          ['[invalid]application.jwtConfiguration.timeToLiveInSeconds'],
        ],
        [
          'unknown grant',
          'POST',
          '',
          { application: { name: 'n', oauthConfiguration: { enabledGrants: ['magic'] } } },
          ['[invalid]application.oauthConfiguration.enabledGrants'],
        ],
        [
          'unknown policy',
          'POST',
          '',
          {
            application: {
              name: 'n',
              oauthConfiguration: { clientAuthenticationPolicy: 'Sometimes' },
            },
          },
          ['[invalid]application.oauthConfiguration.clientAuthenticationPolicy'],
        ],
        [
          'a template Portcullis lacks',
          'POST',
          '',
          { application: { name: 'n', verificationEmailTemplateId: randomUUID() } },
          ['[invalid]application.verificationEmailTemplateId'],
        ],
        [
          'bad key id',
          'POST',
          '',
          { application: { name: 'n', jwtConfiguration: { accessTokenKeyId: 'k' } } },
          ['[couldNotConvert]application.jwtConfiguration.accessTokenKeyId'],
        ],
        [
          'PUT without a name',
          'PUT',
          '/{existing}',
          { application: { data: {} } },
          ['[blank]application.name'],
        ],
        [
          'PATCH to a null name',
          'PATCH',
          '/{existing}',
          { application: { name: null } },
          ['[blank]application.name'],
        ],
        ['role without a name', 'POST', '/{existing}/role', { role: {} }, ['[blank]role.name']],
        [
          'role with a numeric description',
          'POST',
          '/{existing}/role',
          { role: { name: 'r', description: 1 } },
          ['[couldNotConvert]role.description'],
        ],
        [
          'bad role flag',
          'POST',
          '/{existing}/role',
          { role: { name: 'r', isDefault: 'maybe' } },
          ['[couldNotConvert]role.isDefault'],
        ],
        [
          'oversize role name',
          'POST',
          '/{existing}/role',
          { role: { name: long } },
          ['[tooLong]role.name'],
        ],
        ['a bad id', 'GET', '/nope', undefined, ['[couldNotConvert]applicationId']],
        [
          'a bad id',
          'DELETE',
          '/nope?hardDelete=true',
          undefined,
          ['[couldNotConvert]applicationId'],
        ],
        [
          'a bad role id',
          'DELETE',
          '/{existing}/role/nope',
          undefined,
          ['[couldNotConvert]roleId'],
        ],
        [
          'bad paging',
          'GET',
          '/search?numberOfResults=lots',
          undefined,
          ['[couldNotConvert]numberOfResults'],
        ],
        ['a bad tenant id', 'GET', '/search?tenantId=t', undefined, ['[couldNotConvert]tenantId']],
      ];

      it.each(rows)('%s → 400', async (_, method, path, body, codes) => {
        const response = await test.http(
          `/api/application${path.replace('{existing}', existing)}`,
          {
            method,
            headers: { 'content-type': 'application/json', 'x-fusionauth-tenantid': tenantA },
            body: body === undefined ? undefined : JSON.stringify(body),
          },
        );
        expect(await fieldCodes(response)).toEqual(codes);
      });
    });
  });
});

function registration(
  userId: string,
  applicationId: string,
  tenantId: string,
  roles: string[],
): RegistrationEntity {
  const now = Date.now();
  return {
    id: randomUUID(),
    userId,
    applicationId,
    tenantId,
    roles,
    username: null,
    data: {},
    details: {},
    verified: false,
    insertInstant: now,
    lastUpdateInstant: now,
    lastLoginInstant: null,
  };
}

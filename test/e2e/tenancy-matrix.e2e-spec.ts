import type FusionAuthClient from '@fusionauth/typescript-client';
import { createKey, createTenant, dialects, startApp, TestApp } from '../support/app';

const NONE = null as unknown as string;
const EMAIL = 'same.person@example.com';
const PASSWORD = 'correct horse battery';

type Caller = 'global' | 'global+A' | 'global+B' | 'scopedA' | 'scopedB';
type Resource =
  | 'user by email'
  | 'user by id'
  | 'registration'
  | 'group'
  | 'application'
  | 'tenant'
  | 'create group';

/** Objects of tenant A, asked for by each caller. 400 is [TenantIdRequired]. */
const EXPECTED: Record<Resource, Record<Caller, number>> = {
  'user by email': { global: 400, 'global+A': 200, 'global+B': 200, scopedA: 200, scopedB: 200 },
  'user by id': { global: 200, 'global+A': 200, 'global+B': 404, scopedA: 200, scopedB: 404 },
  registration: { global: 200, 'global+A': 200, 'global+B': 404, scopedA: 200, scopedB: 404 },
  group: { global: 200, 'global+A': 200, 'global+B': 404, scopedA: 200, scopedB: 404 },
  application: { global: 200, 'global+A': 200, 'global+B': 404, scopedA: 200, scopedB: 404 },
  tenant: { global: 200, 'global+A': 200, 'global+B': 404, scopedA: 200, scopedB: 404 },
  'create group': { global: 400, 'global+A': 200, 'global+B': 200, scopedA: 200, scopedB: 200 },
};

interface Objects {
  userId: string;
  applicationId: string;
  groupId: string;
}

describe.each(dialects())('the tenancy matrix on %s', (dialect) => {
  let test: TestApp;
  const tenants: Record<'A' | 'B', string> = { A: '', B: '' };
  const objects = {} as Record<'A' | 'B', Objects>;
  const clients = {} as Record<Caller, FusionAuthClient>;

  async function seed(tenant: 'A' | 'B'): Promise<Objects> {
    const client = test.client(test.managerKey, tenants[tenant]);
    const application = await client.createApplication(NONE, {
      application: { name: `app ${tenant}`, roles: [{ name: 'user' }] },
    });
    const applicationId = application.response.application!.id!;
    const user = await client.createUser(NONE, {
      user: { email: EMAIL, password: PASSWORD, firstName: tenant },
    });
    const userId = user.response.user!.id!;
    await client.register(userId, { registration: { applicationId, roles: ['user'] } });
    const group = await client.createGroup(NONE, { group: { name: 'Staff' } });
    return { userId, applicationId, groupId: group.response.group!.id! };
  }

  beforeAll(async () => {
    test = await startApp(dialect);
    tenants.A = await createTenant(test);
    tenants.B = await createTenant(test);
    objects.A = await seed('A');
    objects.B = await seed('B');
    clients.global = test.client();
    clients['global+A'] = test.client(test.managerKey, tenants.A);
    clients['global+B'] = test.client(test.managerKey, tenants.B);
    clients.scopedA = test.client((await createKey(test, { tenantId: tenants.A })).key);
    clients.scopedB = test.client((await createKey(test, { tenantId: tenants.B })).key);
  });
  afterAll(() => test?.close());

  async function statusOf(call: Promise<{ statusCode: number }>): Promise<number> {
    try {
      return (await call).statusCode;
    } catch (error) {
      return (error as { statusCode: number }).statusCode;
    }
  }

  const CALLS: Record<
    Resource,
    (client: FusionAuthClient, caller: Caller) => Promise<{ statusCode: number }>
  > = {
    'user by email': (client) => client.retrieveUserByEmail(EMAIL),
    'user by id': (client) => client.retrieveUser(objects.A.userId),
    registration: (client) =>
      client.retrieveRegistration(objects.A.userId, objects.A.applicationId),
    group: (client) => client.retrieveGroup(objects.A.groupId),
    application: (client) => client.retrieveApplication(objects.A.applicationId),
    tenant: (client) => client.retrieveTenant(tenants.A),
    'create group': (client, caller) =>
      client.createGroup(NONE, { group: { name: `made by ${caller}` } }),
  };

  it('gives every caller the expected status for every resource', async () => {
    const actual = {} as Record<Resource, Record<Caller, number>>;
    for (const resource of Object.keys(EXPECTED) as Resource[]) {
      actual[resource] = {} as Record<Caller, number>;
      for (const caller of Object.keys(clients) as Caller[]) {
        actual[resource][caller] = await statusOf(CALLS[resource](clients[caller], caller));
      }
    }
    expect(actual).toEqual(EXPECTED);
  });

  it('finds the right one of two users with the same email, by the tenant the caller names', async () => {
    for (const [caller, tenant] of [
      ['global+A', 'A'],
      ['global+B', 'B'],
      ['scopedA', 'A'],
      ['scopedB', 'B'],
    ] as const) {
      const found = await clients[caller].retrieveUserByEmail(EMAIL);
      expect({
        caller,
        id: found.response.user!.id,
        tenantId: found.response.user!.tenantId,
      }).toEqual({
        caller,
        id: objects[tenant].userId,
        tenantId: tenants[tenant],
      });
    }
  });

  it('answers the ambiguous request with FusionAuth exact [TenantIdRequired] error', async () => {
    try {
      await clients.global.retrieveUserByEmail(EMAIL);
      throw new Error('expected a 400');
    } catch (error) {
      expect(error).toMatchObject({
        statusCode: 400,
        exception: {
          generalErrors: [
            {
              code: '[TenantIdRequired]',
              message:
                'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
            },
          ],
        },
      });
    }
  });

  it("removes a tenant's users, registrations, groups and applications with it", async () => {
    const doomed = await createTenant(test);
    const client = test.client(test.managerKey, doomed);
    const application = (
      await client.createApplication(NONE, {
        application: { name: 'doomed', roles: [{ name: 'user' }] },
      })
    ).response.application!.id!;
    const user = (await client.createUser(NONE, { user: { email: EMAIL, password: PASSWORD } }))
      .response.user!.id!;
    await client.register(user, { registration: { applicationId: application, roles: ['user'] } });
    const group = (await client.createGroup(NONE, { group: { name: 'Doomed' } })).response.group!
      .id!;
    expect((await test.client().deleteTenant(doomed)).statusCode).toBe(200);
    const global = test.client();
    expect(
      await Promise.all([
        statusOf(global.retrieveUser(user)),
        statusOf(global.retrieveRegistration(user, application)),
        statusOf(global.retrieveGroup(group)),
        statusOf(global.retrieveApplication(application)),
      ]),
    ).toEqual([404, 404, 404, 404]);
  });
});

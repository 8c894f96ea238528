import { createTenant, dialects, startApp, TestApp } from '../support/app';
import { seedApplication } from '../support/fixtures';

/**
 * FusionAuth leaves unset fields out of its JSON, and its client types them as
 * optional, not nullable: a `null` on the wire is a value the client does not expect.
 */
describe.each(dialects())('unset fields on %s', (dialect) => {
  let test: TestApp;
  let tenantId: string;

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantId = await createTenant(test);
  });
  afterAll(() => test?.close());

  async function raw(path: string): Promise<string> {
    const response = await test.http(path, { headers: { 'x-fusionauth-tenantid': tenantId } });
    expect(response.status).toBe(200);
    return response.text();
  }

  it('leaves them out of tenants, applications and roles instead of sending null', async () => {
    const { applicationId, roleId } = await seedApplication(test, tenantId);
    const bodies = {
      tenant: await raw(`/api/tenant/${tenantId}`),
      tenants: await raw('/api/tenant'),
      application: await raw(`/api/application/${applicationId}`),
      applications: await raw('/api/application'),
    };
    for (const body of Object.values(bodies)) expect(body).not.toContain('null');
    const { tenant } = JSON.parse(bodies.tenant) as { tenant: Record<string, object> };
    expect(tenant.jwtConfiguration).not.toHaveProperty('idTokenKeyId');
    expect(tenant.oauthConfiguration).toEqual({});
    expect(tenant.accessControlConfiguration).toEqual({});
    const { application } = JSON.parse(bodies.application) as {
      application: { roles: { id: string }[] };
    };
    expect(application.roles.find((role) => role.id === roleId)).not.toHaveProperty('description');
  });

  it('still shows a value once it is set, and drops it again when a PATCH sets it to null', async () => {
    const client = test.client(test.managerKey, tenantId);
    const acl = await test.client().createIPAccessControlList(null as unknown as string, {
      ipAccessControlList: {
        name: `ui-${tenantId}`,
        entries: [{ action: 'Allow' as never, startIPAddress: '*' }],
      },
    });
    const listId = acl.response.ipAccessControlList!.id!;
    const patched = await client.patchTenant(tenantId, {
      tenant: { accessControlConfiguration: { uiIPAccessControlListId: listId } },
    });
    expect(patched.response.tenant!.accessControlConfiguration).toEqual({
      uiIPAccessControlListId: listId,
    });
    const cleared = await client.patchTenant(tenantId, {
      tenant: { accessControlConfiguration: { uiIPAccessControlListId: null as never } },
    });
    expect(cleared.response.tenant!.accessControlConfiguration).toEqual({});
  });
});

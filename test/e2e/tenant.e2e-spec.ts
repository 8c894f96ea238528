import {
  RefreshTokenExpirationPolicy,
  RefreshTokenUsagePolicy,
  type Tenant,
} from '@fusionauth/typescript-client';
import { randomBytes, randomUUID } from 'node:crypto';
import { createKey, createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { DEFAULT_PASSWORD_RULES_JSON } from '../support/fixtures';

function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A tenant less what is its own (id, name, instants): what a template or a copy carries over. */
function configurationOf(tenant: Tenant): Partial<Tenant> {
  const configuration: Partial<Tenant> = { ...tenant };
  delete configuration.id;
  delete configuration.name;
  delete configuration.insertInstant;
  delete configuration.lastUpdateInstant;
  return configuration;
}

const DEFAULT_JWT_CONFIGURATION = {
  timeToLiveInSeconds: 3600,
  refreshTokenTimeToLiveInMinutes: 43_200,
  refreshTokenExpirationPolicy: 'Fixed',
  refreshTokenUsagePolicy: 'Reusable',
};

describe.each(dialects())('Tenant API on %s', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(() => test?.close());

  const NONE = null as unknown as string;

  describe('create, read, update', () => {
    it('accepts a round-tripped Default tenant, read-only fields and all, as a template', async () => {
      const listed = await test.client().retrieveTenants();
      expect(listed.statusCode).toBe(200);
      const defaultTenant = listed.response.tenants!.find((tenant) => tenant.name === 'Default');
      expect(defaultTenant).toBeDefined();
      expect(defaultTenant!.id).toBe(test.defaultTenantId);

      const name = uniqueName('from-default');
      const template = { ...defaultTenant!, id: null as unknown as string, name };
      const created = await test.client().createTenant(NONE, { tenant: template });
      expect(created.statusCode).toBe(200);
      const tenant = created.response.tenant!;
      expect(tenant.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(tenant.id).not.toBe(test.defaultTenantId);
      expect(tenant.name).toBe(name);
      expect(configurationOf(tenant)).toEqual(configurationOf(defaultTenant!));
      expect(tenant.insertInstant).toBeGreaterThanOrEqual(defaultTenant!.insertInstant!);
      expect(tenant.lastUpdateInstant).toBe(tenant.insertInstant);
      expect((await test.client().retrieveTenant(tenant.id!)).response.tenant).toEqual(tenant);
    });

    it('creates a tenant with a chosen id and default configuration, and retrieves it', async () => {
      const id = randomUUID();
      const name = uniqueName('chosen');
      const before = Date.now();
      const created = await test.client().createTenant(id, { tenant: { name } });
      expect(created.statusCode).toBe(200);
      const tenant = created.response.tenant!;
      expect(tenant).toEqual({
        id,
        name,
        state: 'Active',
        configured: true,
        issuer: 'acme.com',
        data: {},
        // A tenant that names no access-token key gets one of its own.
        jwtConfiguration: {
          ...DEFAULT_JWT_CONFIGURATION,
          accessTokenKeyId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
        },
        loginConfiguration: { requireAuthentication: true },
        oauthConfiguration: {},
        accessControlConfiguration: {},
        passwordValidationRules: DEFAULT_PASSWORD_RULES_JSON,
        externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: 600 },
        scimServerConfiguration: { enabled: false },
        insertInstant: tenant.insertInstant,
        lastUpdateInstant: tenant.insertInstant,
      });
      expect(tenant.insertInstant).toBeGreaterThanOrEqual(before);
      expect(tenant.insertInstant).toBeLessThanOrEqual(Date.now());

      const retrieved = await test.client().retrieveTenant(id);
      expect(retrieved.statusCode).toBe(200);
      expect(retrieved.response).toEqual({ tenant });

      const again = await failure(test.client().createTenant(id, { tenant: { name: `${name}x` } }));
      expect(again.statusCode).toBe(400);
      expect(again.exception).toMatchObject({
        fieldErrors: { tenantId: [{ code: '[duplicate]tenantId' }] },
      });
    });

    it('replaces the whole tenant on PUT: an omitted issuer returns to the default', async () => {
      const name = uniqueName('put');
      const id = await createTenant(test, name);
      const updated = await test.client().updateTenant(id, {
        tenant: {
          name,
          issuer: 'issuer.example.com',
          data: { region: 'eu' },
          jwtConfiguration: { timeToLiveInSeconds: 120 },
        },
      });
      expect(updated.statusCode).toBe(200);
      expect(updated.response.tenant).toMatchObject({
        id,
        name,
        issuer: 'issuer.example.com',
        data: { region: 'eu' },
        jwtConfiguration: { ...DEFAULT_JWT_CONFIGURATION, timeToLiveInSeconds: 120 },
      });
      expect((await test.client().retrieveTenant(id)).response.tenant).toEqual(
        updated.response.tenant,
      );

      const renamed = `${name}-renamed`;
      const replaced = await test.client().updateTenant(id, { tenant: { name: renamed } });
      expect(replaced.response.tenant).toMatchObject({
        id,
        name: renamed,
        issuer: 'acme.com',
        data: {},
        jwtConfiguration: DEFAULT_JWT_CONFIGURATION,
      });
      expect(replaced.response.tenant!.insertInstant).toBe(updated.response.tenant!.insertInstant);
      expect((await test.client().retrieveTenant(id)).response.tenant).toEqual(
        replaced.response.tenant,
      );
    });

    it('merges a PATCH: one nested field changes, the rest is kept', async () => {
      const name = uniqueName('patch');
      const id = await createTenant(test, name);
      await test.client().updateTenant(id, {
        tenant: {
          name,
          issuer: 'patch.example.com',
          jwtConfiguration: {
            timeToLiveInSeconds: 900,
            refreshTokenUsagePolicy: RefreshTokenUsagePolicy.OneTimeUse,
          },
        },
      });
      const patched = await test
        .client()
        .patchTenant(id, { tenant: { jwtConfiguration: { refreshTokenTimeToLiveInMinutes: 60 } } });
      expect(patched.statusCode).toBe(200);
      expect(patched.response.tenant).toMatchObject({
        id,
        name,
        issuer: 'patch.example.com',
        jwtConfiguration: {
          ...DEFAULT_JWT_CONFIGURATION,
          timeToLiveInSeconds: 900,
          refreshTokenUsagePolicy: 'OneTimeUse',
          refreshTokenTimeToLiveInMinutes: 60,
        },
      });
      expect((await test.client().retrieveTenant(id)).response.tenant).toEqual(
        patched.response.tenant,
      );
    });

    it('requires a name', async () => {
      for (const tenant of [{}, { name: '' }, { name: '   ' }]) {
        const rejected = await failure(test.client().createTenant(NONE, { tenant }));
        expect(rejected.statusCode).toBe(400);
        expect(rejected.exception).toEqual({
          fieldErrors: {
            'tenant.name': [
              {
                code: '[blank]tenant.name',
                message: 'You must specify the [tenant.name] property.',
              },
            ],
          },
        });
      }
      const id = await createTenant(test);
      const emptied = await failure(test.client().updateTenant(id, { tenant: {} }));
      expect(emptied.statusCode).toBe(400);
      expect(emptied.exception).toMatchObject({
        fieldErrors: { 'tenant.name': [{ code: '[blank]tenant.name' }] },
      });
    });

    it('refuses a duplicate name, whatever its case, on create and on update', async () => {
      const name = uniqueName('dup');
      await createTenant(test, name);
      const expected = {
        fieldErrors: {
          'tenant.name': [
            {
              code: '[duplicate]tenant.name',
              message: 'The value of [tenant.name] is already in use.',
            },
          ],
        },
      };
      for (const clash of [name, name.toUpperCase()]) {
        const rejected = await failure(
          test.client().createTenant(NONE, { tenant: { name: clash } }),
        );
        expect(rejected.statusCode).toBe(400);
        expect(rejected.exception).toEqual(expected);
      }
      const other = await createTenant(test);
      const renamed = await failure(
        test.client().updateTenant(other, { tenant: { name: name.toUpperCase() } }),
      );
      expect(renamed.statusCode).toBe(400);
      expect(renamed.exception).toEqual(expected);
      const defaultName = await failure(
        test.client().patchTenant(other, { tenant: { name: 'default' } }),
      );
      expect(defaultName.exception).toEqual(expected);
    });

    it('answers 400 [couldNotConvert]tenantId for an id that is not a UUID', async () => {
      const calls = [
        () => test.client().retrieveTenant('not-a-uuid'),
        () => test.client().updateTenant('not-a-uuid', { tenant: { name: 'x' } }),
        () => test.client().patchTenant('not-a-uuid', { tenant: { name: 'x' } }),
        () => test.client().deleteTenant('not-a-uuid'),
        () => test.client().createTenant('not-a-uuid', { tenant: { name: 'x' } }),
      ];
      for (const call of calls) {
        const rejected = await failure(call());
        expect(rejected.statusCode).toBe(400);
        expect(rejected.exception).toEqual({
          fieldErrors: {
            tenantId: [
              {
                code: '[couldNotConvert]tenantId',
                message:
                  'Invalid tenantId [not-a-uuid]. This must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).',
              },
            ],
          },
        });
      }
    });

    it('answers 404 with no body for a tenant that does not exist', async () => {
      const id = randomUUID();
      const calls = [
        () => test.client().retrieveTenant(id),
        () => test.client().updateTenant(id, { tenant: { name: uniqueName('ghost') } }),
        () => test.client().patchTenant(id, { tenant: { issuer: 'x' } }),
        () => test.client().deleteTenant(id),
      ];
      for (const call of calls) {
        const rejected = await failure(call());
        expect(rejected.statusCode).toBe(404);
        expect(rejected.exception).toBeUndefined();
      }
      const raw = await test.http(`/api/tenant/${id}`);
      expect(raw.status).toBe(404);
      expect(raw.headers.get('content-type')).toBeNull();
      expect(await raw.text()).toBe('');
    });

    it('copies the configuration of a source tenant under a new name', async () => {
      const sourceName = uniqueName('source');
      const sourceId = await createTenant(test, sourceName);
      const source = await test.client().updateTenant(sourceId, {
        tenant: {
          name: sourceName,
          issuer: 'source.example.com',
          data: { plan: 'gold' },
          jwtConfiguration: {
            timeToLiveInSeconds: 1234,
            refreshTokenExpirationPolicy: RefreshTokenExpirationPolicy.SlidingWindow,
          },
          loginConfiguration: { requireAuthentication: false },
        },
      });
      const name = uniqueName('copy');
      const copied = await test
        .client()
        .createTenant(NONE, { sourceTenantId: sourceId, tenant: { name } });
      expect(copied.statusCode).toBe(200);
      const copy = copied.response.tenant!;
      expect(copy.name).toBe(name);
      expect(configurationOf(copy)).toEqual(configurationOf(source.response.tenant!));
      expect(copy.id).not.toBe(sourceId);
      expect(copy.insertInstant).toBeGreaterThanOrEqual(source.response.tenant!.lastUpdateInstant!);
      expect(copy.lastUpdateInstant).toBe(copy.insertInstant);
      expect((await test.client().retrieveTenant(sourceId)).response.tenant).toEqual(
        source.response.tenant,
      );

      const unknown = await failure(
        test.client().createTenant(NONE, {
          sourceTenantId: randomUUID(),
          tenant: { name: uniqueName('orphan') },
        }),
      );
      expect(unknown.statusCode).toBe(400);
      expect(unknown.exception).toEqual({
        fieldErrors: {
          sourceTenantId: [
            { code: '[invalid]sourceTenantId', message: 'The [sourceTenantId] names no tenant.' },
          ],
        },
      });
    });
  });

  describe('delete', () => {
    it('removes the tenant and its API keys', async () => {
      const tenantId = await createTenant(test);
      const created = await test
        .client()
        .createAPIKey(NONE, { apiKey: { tenantId, name: uniqueName('tenant-key') } });
      const { id: keyId, key } = created.response.apiKey!;
      expect(created.response.apiKey!.tenantId).toBe(tenantId);
      const used = await test.client(key).retrieveTenant(tenantId);
      expect(used.statusCode).toBe(200);
      expect(used.response.tenant!.id).toBe(tenantId);

      const deleted = await test.client().deleteTenant(tenantId);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();

      const refused = await failure(test.client(key).retrieveTenant(tenantId));
      expect(refused.statusCode).toBe(401);
      expect(refused.exception).toBeUndefined();
      expect((await failure(test.client().retrieveAPIKey(keyId!))).statusCode).toBe(404);
      expect((await failure(test.client().retrieveTenant(tenantId))).statusCode).toBe(404);
      const listed = await test.client().retrieveTenants();
      expect(listed.response.tenants!.map((tenant) => tenant.id)).not.toContain(tenantId);
    });

    it('answers 202 with no body to an asynchronous delete', async () => {
      const tenantId = await createTenant(test);
      const deleted = await test.client().deleteTenantAsync(tenantId);
      expect(deleted.statusCode).toBe(202);
      expect(deleted.response).toBeUndefined();
      expect((await failure(test.client().retrieveTenant(tenantId))).statusCode).toBe(404);

      const viaBody = await createTenant(test);
      const deletedViaBody = await test.client().deleteTenantWithRequest(viaBody, { async: true });
      expect(deletedViaBody.statusCode).toBe(202);
      expect((await failure(test.client().retrieveTenant(viaBody))).statusCode).toBe(404);
    });

    it('refuses to delete the Default tenant', async () => {
      const rejected = await failure(test.client().deleteTenant(test.defaultTenantId));
      expect(rejected.statusCode).toBe(400);
      expect(rejected.exception).toEqual({
        generalErrors: [
          { code: '[DefaultTenantDelete]', message: 'The Default tenant cannot be deleted.' },
        ],
      });
      expect((await test.client().retrieveTenant(test.defaultTenantId)).statusCode).toBe(200);
    });
  });

  describe('search', () => {
    it('finds tenants by name, by body and by query, paginated, with * as a wildcard', async () => {
      const prefix = uniqueName('search');
      const alpha = await createTenant(test, `${prefix}-alpha`);
      const beta = await createTenant(test, `${prefix}-beta`);
      await createTenant(test, uniqueName('elsewhere'));

      const byBody = await test.client().searchTenants({ search: { name: prefix } });
      expect(byBody.statusCode).toBe(200);
      expect(byBody.response.total).toBe(2);
      expect(byBody.response.tenants!.map((tenant) => [tenant.id, tenant.name])).toEqual([
        [alpha, `${prefix}-alpha`],
        [beta, `${prefix}-beta`],
      ]);
      expect(byBody.response.tenants![0]).toEqual(
        (await test.client().retrieveTenant(alpha)).response.tenant,
      );

      const firstPage = await test.http(
        `/api/tenant/search?name=${encodeURIComponent(prefix)}&numberOfResults=1&startRow=0`,
      );
      expect(firstPage.status).toBe(200);
      expect(firstPage.headers.get('content-type')).toMatch(/^application\/json/);
      const first = (await firstPage.json()) as { tenants: Tenant[]; total: number };
      expect(first.total).toBe(2);
      expect(first.tenants.map((tenant) => tenant.id)).toEqual([alpha]);
      const secondPage = await test.http(
        `/api/tenant/search?name=${encodeURIComponent(prefix)}&numberOfResults=1&startRow=1`,
      );
      const second = (await secondPage.json()) as { tenants: Tenant[]; total: number };
      expect(second).toMatchObject({ total: 2 });
      expect(second.tenants.map((tenant) => tenant.id)).toEqual([beta]);

      const wildcard = await test.client().searchTenants({ search: { name: `${prefix}*ta` } });
      expect(wildcard.response.tenants!.map((tenant) => tenant.id)).toEqual([beta]);
      expect(wildcard.response.total).toBe(1);

      const everyone = (await test.client().retrieveTenants()).response.tenants!;
      const all = await test
        .client()
        .searchTenants({ search: { name: '*', numberOfResults: 500 } });
      expect(all.response.total).toBe(everyone.length);
      expect(all.response.tenants!.map((tenant) => tenant.id).sort()).toEqual(
        everyone.map((tenant) => tenant.id).sort(),
      );

      const nothing = await test.client().searchTenants({ search: { name: `${prefix}-gamma` } });
      expect(nothing.response).toEqual({ tenants: [], total: 0 });
    });

    it('treats % and _ in a searched name as literal characters', async () => {
      const prefix = uniqueName('lit');
      const literal = await createTenant(test, `${prefix}-100%_off`);
      await createTenant(test, `${prefix}-100xyoff`);
      const found = await test.client().searchTenants({ search: { name: '100%_' } });
      expect(found.response.tenants!.map((tenant) => tenant.id)).toEqual([literal]);
    });

    it('is global-only: a tenant-scoped key or a tenant header is refused with 401', async () => {
      const tenantId = await createTenant(test);
      const permissions = { endpoints: { '/api/tenant/search': ['GET', 'POST'] } };
      const global = await createKey(test, { permissions });
      expect((await test.client(global.key).searchTenants({ search: {} })).statusCode).toBe(200);

      const scoped = await createKey(test, { tenantId, permissions });
      const headerGlobal = test.client(global.key, tenantId);
      const refusals = [
        () => test.client(scoped.key).searchTenants({ search: {} }),
        () => headerGlobal.searchTenants({ search: {} }),
        () => test.client(test.managerKey, tenantId).searchTenants({ search: {} }),
      ];
      for (const call of refusals) {
        const refused = await failure(call());
        expect(refused.statusCode).toBe(401);
        expect(refused.exception).toBeUndefined();
      }
      const byQuery = await test.http('/api/tenant/search?name=x', { key: scoped.key });
      expect(byQuery.status).toBe(401);
      expect(await byQuery.text()).toBe('');
    });
  });

  describe('tenant scoping', () => {
    const ALL = { endpoints: { '/api/tenant': ['GET', 'PUT', 'POST', 'DELETE'] } };

    it('confines a tenant-scoped key to its own tenant', async () => {
      const nameA = uniqueName('scope-a');
      const a = await createTenant(test, nameA);
      const b = await createTenant(test);
      const { key } = await createKey(test, { tenantId: a, permissions: ALL });
      const scoped = test.client(key);

      const listed = await scoped.retrieveTenants();
      expect(listed.statusCode).toBe(200);
      expect(listed.response.tenants!.map((tenant) => tenant.id)).toEqual([a]);
      expect((await scoped.retrieveTenant(a)).response.tenant!.id).toBe(a);
      const other = await failure(scoped.retrieveTenant(b));
      expect(other.statusCode).toBe(404);
      expect(other.exception).toBeUndefined();
      const otherUpdate = await failure(scoped.updateTenant(b, { tenant: { name: 'taken' } }));
      expect(otherUpdate.statusCode).toBe(404);

      const updated = await scoped.updateTenant(a, {
        tenant: { name: nameA, issuer: 'a.example' },
      });
      expect(updated.statusCode).toBe(200);
      expect(updated.response.tenant).toMatchObject({ id: a, name: nameA, issuer: 'a.example' });

      const refusals = [
        () => scoped.createTenant(NONE, { tenant: { name: uniqueName('by-scoped') } }),
        () => scoped.createTenant(randomUUID(), { tenant: { name: uniqueName('by-scoped') } }),
        () => scoped.deleteTenant(b),
        () => scoped.deleteTenant(a),
      ];
      for (const call of refusals) {
        const refused = await failure(call());
        expect(refused.statusCode).toBe(401);
        expect(refused.exception).toBeUndefined();
      }
      expect((await test.client().retrieveTenant(a)).statusCode).toBe(200);
      expect((await test.client().retrieveTenant(b)).statusCode).toBe(200);
    });

    it('confines a global key to the tenant its X-FusionAuth-TenantId header names', async () => {
      const a = await createTenant(test);
      const b = await createTenant(test);
      const { key } = await createKey(test, { permissions: ALL });
      const viaHeader = test.client(key, a);
      const listed = await viaHeader.retrieveTenants();
      expect(listed.response.tenants!.map((tenant) => tenant.id)).toEqual([a]);
      expect((await viaHeader.retrieveTenant(a)).statusCode).toBe(200);
      const other = await failure(viaHeader.retrieveTenant(b));
      expect(other.statusCode).toBe(404);
      expect(other.exception).toBeUndefined();
      const unscoped = await test.client(key).retrieveTenants();
      expect(unscoped.response.tenants!.map((tenant) => tenant.id)).toEqual(
        expect.arrayContaining([test.defaultTenantId, a, b]),
      );
    });

    it('refuses a tenant-scoped key whose header names another tenant', async () => {
      const a = await createTenant(test);
      const b = await createTenant(test);
      const { key } = await createKey(test, { tenantId: a, permissions: ALL });
      expect((await test.client(key, a).retrieveTenant(a)).statusCode).toBe(200);
      const calls = [
        () => test.client(key, b).retrieveTenant(b),
        () => test.client(key, b).retrieveTenants(),
      ];
      for (const call of calls) {
        const refused = await failure(call());
        expect(refused.statusCode).toBe(401);
        expect(refused.exception).toBeUndefined();
      }
    });

    it('answers 400 for a malformed or unknown tenant header', async () => {
      const malformed = await failure(test.client(test.managerKey, 'not-a-uuid').retrieveTenants());
      expect(malformed.statusCode).toBe(400);
      expect(malformed.exception).toEqual({
        fieldErrors: {
          'X-FusionAuth-TenantId': [
            {
              code: '[couldNotConvert]X-FusionAuth-TenantId',
              message:
                'The X-FusionAuth-TenantId header must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).',
            },
          ],
        },
      });
      const unknown = await failure(test.client(test.managerKey, randomUUID()).retrieveTenants());
      expect(unknown.statusCode).toBe(400);
      expect(unknown.exception).toEqual({
        fieldErrors: {
          'X-FusionAuth-TenantId': [
            {
              code: '[invalid]X-FusionAuth-TenantId',
              message: 'The X-FusionAuth-TenantId header names no tenant.',
            },
          ],
        },
      });
    });
  });
});

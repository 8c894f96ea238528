import { randomUUID } from 'node:crypto';
import { ApiKeyService } from '../../src/api-key/api-key.service';
import { FIELD_REASONS, FieldReason } from '../../src/common/error.catalog';
import { createKey, createTenant, dialects, randomKey, startApp, TestApp } from '../support/app';
import { PASSWORD, uniqueEmail, uniqueName } from '../support/fixtures';

/** An answer as bytes on the wire: what a caller can compare. */
interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

interface Seeded {
  userId: string;
  groupId: string;
  applicationId: string;
  roleIds: [string, string];
  key: { id: string; key: string; name: string };
}

function fieldError(reason: FieldReason, field: string, message?: string): Answer {
  return {
    status: 400,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({
      fieldErrors: {
        [field]: [
          { code: `[${reason}]${field}`, message: message ?? FIELD_REASONS[reason](field) },
        ],
      },
    }),
  };
}

/**
 * What a caller confined to tenant A learns about tenant B: for each thing B holds, the
 * answer A gets must be one A could get without B existing.
 */
describe.each(dialects())('what a tenant-scoped caller can learn on %s', (dialect) => {
  let test: TestApp;
  const tenants = { A: '', B: '' };
  const names = { A: '', B: '' };
  const seeded = {} as Record<'A' | 'B', Seeded>;
  let scopedManager: string;
  let globalKey: { id: string; key: string; name: string };

  async function call(
    key: string,
    method: string,
    path: string,
    body?: object,
    tenantId?: string,
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (tenantId !== undefined) headers['x-fusionauth-tenantid'] = tenantId;
    const response = await test.http(path, {
      key,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await response.text(),
    };
  }

  async function seed(tenant: 'A' | 'B'): Promise<Seeded> {
    const tenantId = tenants[tenant];
    const make = async (path: string, body: object) =>
      JSON.parse((await call(test.managerKey, 'POST', path, body, tenantId)).body) as Record<
        string,
        { id: string; roles?: { id: string }[]; key?: string }
      >;
    const user = await make('/api/user', { user: { email: uniqueEmail(), password: PASSWORD } });
    const group = await make('/api/group', { group: { name: uniqueName('group') } });
    const application = await make('/api/application', {
      application: { name: uniqueName('app'), roles: [{ name: 'one' }, { name: 'two' }] },
    });
    const keyName = uniqueName('key');
    const apiKey = await make('/api/api-key', { apiKey: { name: keyName, tenantId } });
    const roles = application.application.roles!;
    return {
      userId: user.user.id,
      groupId: group.group.id,
      applicationId: application.application.id,
      roleIds: [roles[0].id, roles[1].id],
      key: { id: apiKey.apiKey.id, key: apiKey.apiKey.key!, name: keyName },
    };
  }

  beforeAll(async () => {
    test = await startApp(dialect);
    names.A = uniqueName('tenant-a');
    names.B = uniqueName('tenant-b');
    tenants.A = await createTenant(test, names.A);
    tenants.B = await createTenant(test, names.B);
    seeded.A = await seed('A');
    seeded.B = await seed('B');
    scopedManager = randomKey();
    await test.app.get(ApiKeyService).createTrusted({
      key: scopedManager,
      description: null,
      keyManager: true,
      tenantId: tenants.A,
      permissions: null,
    });
    const name = uniqueName('global');
    globalKey = { ...(await createKey(test, { name })), name };
  });
  afterAll(() => test?.close());

  describe('an id taken in another tenant', () => {
    const CASES: {
      name: string;
      field: string;
      path: (id: string) => string;
      body: () => object;
      taken: (tenant: Seeded) => string;
    }[] = [
      {
        name: 'user',
        field: 'userId',
        path: (id) => `/api/user/${id}`,
        body: () => ({ user: { email: uniqueEmail(), password: PASSWORD } }),
        taken: (tenant) => tenant.userId,
      },
      {
        name: 'group',
        field: 'groupId',
        path: (id) => `/api/group/${id}`,
        body: () => ({ group: { name: uniqueName('group') } }),
        taken: (tenant) => tenant.groupId,
      },
      {
        name: 'application',
        field: 'applicationId',
        path: (id) => `/api/application/${id}`,
        body: () => ({ application: { name: uniqueName('app') } }),
        taken: (tenant) => tenant.applicationId,
      },
      {
        name: 'role',
        field: 'roleId',
        path: (id) => `/api/application/${seeded.A.applicationId}/role/${id}`,
        body: () => ({ role: { name: uniqueName('role') } }),
        taken: (tenant) => tenant.roleIds[tenant === seeded.A ? 1 : 0],
      },
      {
        name: 'API key',
        field: 'keyId',
        path: (id) => `/api/api-key/${id}`,
        body: () => ({ apiKey: {} }),
        taken: (tenant) => tenant.key.id,
      },
    ];

    // Ids are global primary keys, so the create must fail; it fails exactly as it does
    // for an id of the caller's own tenant, without naming where the holder lives.
    it.each(CASES)(
      'is refused for a $name exactly as an id taken in its own tenant',
      async ({ field, path, body, taken }) => {
        const request = body();
        const elsewhere = await call(scopedManager, 'POST', path(taken(seeded.B)), request);
        const own = await call(scopedManager, 'POST', path(taken(seeded.A)), request);
        expect(elsewhere).toEqual(own);
        expect(elsewhere).toEqual(fieldError('duplicate', field));
      },
    );

    it('is refused on a combined registration as a user id of its own tenant is on create', async () => {
      const user = { email: uniqueEmail(), password: PASSWORD };
      const elsewhere = await call(
        scopedManager,
        'POST',
        `/api/user/registration/${seeded.B.userId}`,
        {
          user,
          registration: { applicationId: seeded.A.applicationId },
        },
      );
      const own = await call(scopedManager, 'POST', `/api/user/${seeded.A.userId}`, { user });
      expect(elsewhere).toEqual(own);
    });
  });

  describe('API key names', () => {
    async function createNamed(key: string, name: string): Promise<Answer> {
      return call(key, 'POST', '/api/api-key', { apiKey: { name } });
    }

    /** A created key's answer without what differs between any two creates. */
    function shape(answer: Answer): object {
      const json = JSON.parse(answer.body) as { apiKey: Record<string, unknown> };
      const varying = ['id', 'key', 'name', 'insertInstant', 'lastUpdateInstant'];
      const rest = Object.entries(json.apiKey).filter(([field]) => !varying.includes(field));
      return { status: answer.status, contentType: answer.contentType, rest };
    }

    it("are unique per tenant: another tenant's name, or a global key's, is free", async () => {
      const fresh = await createNamed(scopedManager, uniqueName('fresh'));
      const ofB = await createNamed(scopedManager, seeded.B.key.name);
      const ofGlobal = await createNamed(scopedManager, globalKey.name);
      expect(fresh.status).toBe(200);
      expect(shape(ofB)).toEqual(shape(fresh));
      expect(shape(ofGlobal)).toEqual(shape(fresh));
    });

    it("may be changed to another tenant's name, as to a free one", async () => {
      const mine = JSON.parse((await createNamed(scopedManager, uniqueName('mine'))).body) as {
        apiKey: { id: string };
      };
      const nameOfB = uniqueName('of-b');
      await createKey(test, { name: nameOfB, tenantId: tenants.B });
      const renamed = await call(scopedManager, 'PUT', `/api/api-key/${mine.apiKey.id}`, {
        apiKey: { name: nameOfB },
      });
      expect(renamed.status).toBe(200);
      expect(JSON.parse(renamed.body)).toMatchObject({ apiKey: { name: nameOfB } });
    });

    it('stay unique within a tenant, and among global keys, case-insensitively', async () => {
      expect(await createNamed(scopedManager, seeded.A.key.name.toUpperCase())).toEqual(
        fieldError('duplicate', 'apiKey.name'),
      );
      expect(await createNamed(test.managerKey, globalKey.name.toUpperCase())).toEqual(
        fieldError('duplicate', 'apiKey.name'),
      );
      expect((await createNamed(test.managerKey, seeded.B.key.name)).status).toBe(200);
    });
  });

  describe('a chosen key value already in use', () => {
    it("is refused with one answer, whether the key is another tenant's, a global one or its own", async () => {
      const choose = (value: string) =>
        call(scopedManager, 'POST', '/api/api-key', { apiKey: { key: value } });
      const ofB = await choose(seeded.B.key.key);
      const ofGlobal = await choose(globalKey.key);
      const own = await choose(seeded.A.key.key);
      expect(ofB).toEqual(own);
      expect(ofGlobal).toEqual(own);
      expect(own).toEqual(fieldError('invalid', 'apiKey.key'));
    });
  });

  describe("its own tenant's name", () => {
    let scoped: string;
    beforeAll(async () => {
      scoped = (await createKey(test, { tenantId: tenants.A })).key;
    });

    it("cannot be changed by a tenant-scoped key, whether the new name is another tenant's or free", async () => {
      const refused = fieldError(
        'notAllowed',
        'tenant.name',
        'A tenant-scoped key cannot change its tenant name.',
      );
      for (const method of ['PUT', 'PATCH']) {
        const taken = await call(scoped, method, `/api/tenant/${tenants.A}`, {
          tenant: { name: names.B },
        });
        const free = await call(scoped, method, `/api/tenant/${tenants.A}`, {
          tenant: { name: uniqueName('free') },
        });
        expect({ method, taken }).toEqual({ method, taken: free });
        expect(free).toEqual(refused);
      }
      const kept = await call(scoped, 'PUT', `/api/tenant/${tenants.A}`, {
        tenant: { name: names.A },
      });
      expect(kept.status).toBe(200);
      const retrieved = await call(test.managerKey, 'GET', `/api/tenant/${tenants.A}`);
      expect(JSON.parse(retrieved.body)).toMatchObject({ tenant: { name: names.A } });
    });

    it('can be changed by a global key, which sees every name anyway', async () => {
      const path = `/api/tenant/${tenants.A}`;
      expect(await call(test.managerKey, 'PATCH', path, { tenant: { name: names.B } })).toEqual(
        fieldError('duplicate', 'tenant.name'),
      );
      const renamed = uniqueName('renamed');
      expect(
        (await call(test.managerKey, 'PATCH', path, { tenant: { name: renamed } })).status,
      ).toBe(200);
      expect(
        (await call(test.managerKey, 'PATCH', path, { tenant: { name: names.A } })).status,
      ).toBe(200);
    });
  });

  describe('copying a key (sourceKeyId)', () => {
    it("answers another tenant's key exactly as one that does not exist", async () => {
      const copy = (sourceKeyId: string) =>
        call(scopedManager, 'POST', '/api/api-key', { sourceKeyId, apiKey: {} });
      const ofB = await copy(seeded.B.key.id);
      const ofGlobal = await copy(globalKey.id);
      const none = await copy(randomUUID());
      expect(ofB).toEqual(none);
      expect(ofGlobal).toEqual(none);
      expect(none).toEqual(
        fieldError('invalid', 'sourceKeyId', 'The [sourceKeyId] names no key that can be copied.'),
      );
    });
  });
});

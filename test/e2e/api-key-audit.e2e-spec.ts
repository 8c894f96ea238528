import { randomUUID } from 'node:crypto';
import { AuditTrail } from '../../src/audit/audit.trail';
import { createKey, createTenant, dialects, failure, startApp, TestApp } from '../support/app';

jest.setTimeout(60_000);

const NONE = null as unknown as string;

interface TrailEvent {
  id: string;
  keyId: string;
  type: string;
  callerKeyId: string | null;
  address: string | null;
  instant: number;
  changes: Record<string, unknown> | null;
}

describe.each(dialects())('the API keys’ audit trail (%s)', (dialect) => {
  let test: TestApp;
  let managerId: string;

  beforeAll(async () => {
    test = await startApp(dialect);
    const list = (await test.http('/api/api-key').then((r) => r.json())) as {
      apiKeys: { id: string; key?: string }[];
    };
    managerId = list.apiKeys.find((apiKey) => apiKey.key === test.managerKey)!.id;
  });
  afterAll(() => test?.close());

  /** The trail as a manager sees it, after what is queued has been written. */
  async function trail(query: string, key = test.managerKey) {
    await test.app.get(AuditTrail).flush();
    const response = await test.http(`/api/api-key/audit${query}`, { key });
    expect(response.status).toBe(200);
    return (await response.json()) as { events: TrailEvent[]; total: number };
  }

  it('records create, copy, update, patch and delete: who, what, from where, never the value', async () => {
    const made = (
      await test.client().createAPIKey(NONE, {
        apiKey: {
          name: `audited-${randomUUID()}`,
          permissions: { endpoints: { '/api/user': ['GET'] } },
        },
      })
    ).response.apiKey!;
    await test.client().patchAPIKey(made.id!, {
      apiKey: { permissions: { endpoints: { '/api/user': ['GET', 'POST'] } } },
    });
    await test.client().updateAPIKey(made.id!, { apiKey: { name: 'renamed', permissions: {} } });
    const copy = (
      await test.client().createAPIKey(NONE, {
        sourceKeyId: made.id!,
        apiKey: { name: `copy-${randomUUID()}` },
      })
    ).response.apiKey!;
    await test.client().deleteAPIKey(made.id!);
    const events = (await trail(`?keyId=${made.id}`)).events;
    expect(events.map((event) => event.type)).toEqual(['delete', 'update', 'patch', 'create']);
    for (const event of events) {
      expect(event.callerKeyId).toBe(managerId);
      expect(event.address).toBe('127.0.0.1');
    }
    expect(events[2].changes).toEqual({
      permissions: {
        from: { endpoints: { '/api/user': ['GET'] } },
        to: { endpoints: { '/api/user': ['GET', 'POST'] } },
      },
    });
    expect(events[1].changes).toMatchObject({ name: { to: 'renamed' } });
    const copied = (await trail(`?keyId=${copy.id}&type=copy`)).events;
    expect(copied).toHaveLength(1);
    expect(copied[0].changes).toMatchObject({ sourceKeyId: made.id });
    const everything = JSON.stringify((await trail('?numberOfResults=500')).events);
    expect(everything).not.toContain(made.key!);
    expect(everything).not.toContain(copy.key!);
    expect(everything).not.toContain(test.managerKey);
  });

  it('records refused uses of a key, sampled: one event standing for a flood', async () => {
    const limited = await createKey(test, { permissions: { endpoints: { '/api/user': ['GET'] } } });
    for (let i = 0; i < 20; i++) {
      const response = await test.http('/api/tenant', { key: limited.key });
      expect(response.status).toBe(401);
    }
    const refused = (await trail(`?keyId=${limited.id}&type=refused`)).events;
    expect(refused).toHaveLength(1);
    expect(refused[0].changes).toEqual({ reason: 'endpoint_denied' });
    expect(refused[0].callerKeyId).toBeNull();
  });

  it('lists to a tenant-scoped manager only its tenant’s keys, and to a limited one only keys within it', async () => {
    const tenantA = await createTenant(test);
    const tenantB = await createTenant(test);
    const scoped = await createKey(test, { keyManager: true, tenantId: tenantA });
    const inA = await createKey(test, { tenantId: tenantA });
    const inB = await createKey(test, { tenantId: tenantB });
    const seen = (await trail('?numberOfResults=500', scoped.key)).events.map((e) => e.keyId);
    expect(seen).toContain(inA.id);
    expect(seen).not.toContain(inB.id);
    expect(seen).not.toContain(managerId);
    const limitedManager = await createKey(test, {
      keyManager: true,
      permissions: { endpoints: { '/api/user': ['GET'] } },
    });
    const strong = await createKey(test, {});
    const weak = await createKey(test, { permissions: { endpoints: { '/api/user': ['GET'] } } });
    const limitedSees = (await trail('?numberOfResults=500', limitedManager.key)).events.map(
      (e) => e.keyId,
    );
    expect(limitedSees).toContain(weak.id);
    expect(limitedSees).not.toContain(strong.id);
    // A deleted key's events are judged by the authority it had.
    await test.client().deleteAPIKey(strong.id);
    expect((await trail(`?keyId=${strong.id}`, limitedManager.key)).events).toEqual([]);
    expect((await trail(`?keyId=${strong.id}`)).events.map((e) => e.type)).toEqual([
      'delete',
      'create',
    ]);
  });

  it('filters by time, pages, and refuses bad parameters with field errors', async () => {
    const before = Date.now();
    const made = await createKey(test, { name: `timed-${randomUUID()}` });
    const inWindow = await trail(`?start=${before}&keyId=${made.id}`);
    expect(inWindow.total).toBe(1);
    expect((await trail(`?end=${before}&keyId=${made.id}`)).total).toBe(0);
    const page = await trail('?numberOfResults=2&startRow=1');
    expect(page.events).toHaveLength(2);
    expect(page.total).toBeGreaterThan(3);
    for (const [query, field] of [
      ['?type=stolen', 'type'],
      ['?keyId=not-a-uuid', 'keyId'],
      ['?start=yesterday', 'start'],
      ['?numberOfResults=-1', 'numberOfResults'],
    ]) {
      const response = await test.http(`/api/api-key/audit${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      const body = (await response.json()) as { fieldErrors: Record<string, unknown> };
      expect(Object.keys(body.fieldErrors)).toEqual([field]);
    }
    expect((await failure(test.client(made.key).retrieveAPIKey(made.id))).statusCode).toBe(401);
  });
});

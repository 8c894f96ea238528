import {
  IPAccessControlEntryAction,
  type IPAccessControlEntry,
  type IPAccessControlList,
} from '@fusionauth/typescript-client';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { ApiKeyService } from '../../src/api-key/api-key.service';
import { IpAclEntity } from '../../src/ip-acl/ip-acl.entity';
import { ChangeHub } from '../../src/key-cache/change.hub';
import {
  createKey,
  dialects,
  failure,
  randomKey,
  refusalCodes,
  startApp,
  TestApp,
} from '../support/app';
import { uniqueName } from '../support/fixtures';

const NONE = null as unknown as string;
const ALLOW_ALL: IPAccessControlEntry = {
  action: IPAccessControlEntryAction.Allow,
  startIPAddress: '*',
};
const BLOCK_ALL: IPAccessControlEntry = {
  action: IPAccessControlEntryAction.Block,
  startIPAddress: '*',
};

function entry(action: 'Allow' | 'Block', start: string, end = start): IPAccessControlEntry {
  return { action: IPAccessControlEntryAction[action], startIPAddress: start, endIPAddress: end };
}

interface Answer {
  status: number;
  body: string;
  contentType: string | undefined;
}

const REFUSED: Answer = { status: 401, body: '', contentType: undefined };

interface From {
  /** The source address of the connection. */
  localAddress?: string;
  headers?: Record<string, string>;
}

/** `GET /api/tenant` with a key, from a chosen source address, on a fresh connection. */
function getTenants(base: string, key: string, from: From = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${base}/api/tenant`,
      {
        agent: false,
        localAddress: from.localAddress,
        headers: { authorization: key, ...from.headers },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            contentType: incoming.headers['content-type'],
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const status = (answer: Answer) => answer.status;

/**
 * A second listening address for the running app: connections accepted there are
 * handed to the app's own HTTP server, so the socket peer is whatever this side sees.
 */
async function listenAlso(
  test: TestApp,
  host: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = test.app.getHttpServer();
  const bridge = createServer((socket) => server.emit('connection', socket));
  await new Promise<void>((resolve, reject) => {
    bridge.once('error', reject);
    bridge.listen(0, host, resolve);
  });
  const { port } = bridge.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host === '::' ? '::1' : host}]` : host}:${port}`,
    close: () => new Promise((resolve) => bridge.close(() => resolve())),
  };
}

describe.each(dialects())('IP ACL API on %s', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(() => test?.close());

  async function createAcl(entries: IPAccessControlEntry[], name = uniqueName('acl')) {
    const created = await test
      .client()
      .createIPAccessControlList(NONE, { ipAccessControlList: { name, entries } });
    return created.response.ipAccessControlList!;
  }

  function codesOf(list: object, id = NONE): Promise<string[]> {
    return refusalCodes(test.client().createIPAccessControlList(id, { ipAccessControlList: list }));
  }

  describe('create, retrieve, update, patch, search, delete', () => {
    it('creates a list with a generated id and retrieves it', async () => {
      const name = uniqueName('office');
      const before = Date.now();
      const created = await test.client().createIPAccessControlList(NONE, {
        ipAccessControlList: {
          name,
          entries: [
            { ...BLOCK_ALL, endIPAddress: 'ignored' },
            entry('Allow', '76.104.0.0', '76.104.255.255'),
            entry('Allow', '2001:db8::', '2001:db8::ffff'),
            entry('Block', '::ffff:10.0.0.1', '10.0.0.1'),
          ],
          data: { owner: 'ops' },
        },
      });
      expect(created.statusCode).toBe(200);
      const list = created.response.ipAccessControlList!;
      expect(list).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
        name,
        // The default entry's end is not kept: it has no range.
        entries: [
          BLOCK_ALL,
          entry('Allow', '76.104.0.0', '76.104.255.255'),
          entry('Allow', '2001:db8::', '2001:db8::ffff'),
          entry('Block', '::ffff:10.0.0.1', '10.0.0.1'),
        ],
        data: { owner: 'ops' },
        insertInstant: expect.any(Number) as number,
        lastUpdateInstant: list.insertInstant,
      });
      expect(list.insertInstant).toBeGreaterThanOrEqual(before);
      const retrieved = await test.client().retrieveIPAccessControlList(list.id!);
      expect(retrieved.response).toEqual({ ipAccessControlList: list });
    });

    it('creates with a chosen id, once', async () => {
      const id = randomUUID();
      const created = await test.client().createIPAccessControlList(id, {
        ipAccessControlList: { name: uniqueName('chosen'), entries: [ALLOW_ALL] },
      });
      expect(created.response.ipAccessControlList).toMatchObject({ id, data: {} });
      expect(await codesOf({ name: uniqueName('again'), entries: [ALLOW_ALL] }, id)).toEqual([
        '[duplicate]ipAccessControlListId',
      ]);
    });

    it('replaces a list on PUT and merges a PATCH, appending entries', async () => {
      const list = await createAcl([ALLOW_ALL, entry('Block', '192.0.2.1')]);
      const renamed = uniqueName('renamed');
      const updated = await test.client().updateIPAccessControlList(list.id!, {
        ipAccessControlList: { name: renamed, entries: [BLOCK_ALL], data: { v: 2 } },
      });
      expect(updated.response.ipAccessControlList).toMatchObject({
        id: list.id,
        name: renamed,
        entries: [BLOCK_ALL],
        data: { v: 2 },
        insertInstant: list.insertInstant,
      });
      expect(updated.response.ipAccessControlList!.lastUpdateInstant).toBeGreaterThanOrEqual(
        list.lastUpdateInstant!,
      );

      const patched = await test.client().patchIPAccessControlList(list.id!, {
        ipAccessControlList: { entries: [entry('Allow', '10.0.0.0', '10.255.255.255')] },
      });
      expect(patched.response.ipAccessControlList).toMatchObject({
        name: renamed,
        entries: [BLOCK_ALL, entry('Allow', '10.0.0.0', '10.255.255.255')],
        data: { v: 2 },
      });
      expect((await test.client().retrieveIPAccessControlList(list.id!)).response).toEqual(
        patched.response,
      );

      const invalid = await failure(
        test.client().patchIPAccessControlList(list.id!, {
          ipAccessControlList: { entries: [ALLOW_ALL] },
        }),
      );
      expect(invalid.exception?.fieldErrors).toEqual({
        'ipAccessControlList.entries[2].startIPAddress': [
          expect.objectContaining({
            code: '[duplicate]ipAccessControlList.entries[2].startIPAddress',
          }),
        ],
      });
    });

    it('answers 404 for a list that does not exist, and 400 for a malformed id', async () => {
      const missing = randomUUID();
      const body = { ipAccessControlList: { name: uniqueName('x'), entries: [ALLOW_ALL] } };
      for (const call of [
        () => test.client().retrieveIPAccessControlList(missing),
        () => test.client().updateIPAccessControlList(missing, body),
        () => test.client().patchIPAccessControlList(missing, body),
        () => test.client().deleteIPAccessControlList(missing),
      ]) {
        const refused = await failure(call());
        expect([refused.statusCode, refused.exception]).toEqual([404, undefined]);
      }
      const malformed = await failure(test.client().retrieveIPAccessControlList('not-a-uuid'));
      expect(malformed.statusCode).toBe(400);
      expect(Object.keys(malformed.exception!.fieldErrors!)).toEqual(['ipAccessControlListId']);
    });

    it('searches by name, by GET and by POST, with paging', async () => {
      const prefix = uniqueName('searchable');
      const names = [`${prefix}-c`, `${prefix}-a`, `${prefix}-b`];
      for (const name of names) await createAcl([ALLOW_ALL], name);
      const byBody = await test
        .client()
        .searchIPAccessControlLists({ search: { name: prefix, numberOfResults: 2, startRow: 1 } });
      expect(byBody.response.total).toBe(3);
      expect(byBody.response.ipAccessControlLists!.map((list) => list.name)).toEqual([
        `${prefix}-b`,
        `${prefix}-c`,
      ]);
      const byQuery = await test
        .client()
        .searchIPAccessControlListsByParameters(`${prefix}-*`, NONE as never, NONE, NONE as never);
      expect(byQuery.response.total).toBe(3);
      expect(byQuery.response.ipAccessControlLists!.map((list) => list.name)).toEqual(
        [...names].sort(),
      );
      const none = await test
        .client()
        .searchIPAccessControlLists({ search: { name: 'no-such-*' } });
      expect(none.response).toEqual({ ipAccessControlLists: [], total: 0 });
      const all = await test.client().searchIPAccessControlLists({ search: {} });
      expect(all.response.total).toBeGreaterThanOrEqual(3);
    });

    it('deletes a list: 200 with no body, then 404', async () => {
      const list = await createAcl([ALLOW_ALL]);
      const deleted = await test.client().deleteIPAccessControlList(list.id!);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.response).toBeUndefined();
      expect((await failure(test.client().retrieveIPAccessControlList(list.id!))).statusCode).toBe(
        404,
      );
    });
  });

  describe('validation', () => {
    const e = 'ipAccessControlList.entries';
    const valid = { name: 'n', entries: [ALLOW_ALL] };
    it.each<[string, object, string[]]>([
      ['no name', { entries: [ALLOW_ALL] }, ['[blank]ipAccessControlList.name']],
      ['a blank name', { ...valid, name: '   ' }, ['[blank]ipAccessControlList.name']],
      ['no entries', { name: 'n' }, [`[blank]${e}`]],
      ['empty entries', { name: 'n', entries: [] }, [`[blank]${e}`]],
      ['entries that are not a list', { name: 'n', entries: 'all' }, [`[couldNotConvert]${e}`]],
      ['no default entry', { name: 'n', entries: [entry('Allow', '10.0.0.1')] }, [`[missing]${e}`]],
      [
        'two default entries',
        { name: 'n', entries: [ALLOW_ALL, BLOCK_ALL] },
        [`[duplicate]${e}[1].startIPAddress`],
      ],
      [
        'a default entry without an action',
        { name: 'n', entries: [{ startIPAddress: '*' }] },
        [`[blank]${e}[0].action`],
      ],
      [
        'an unknown action',
        { name: 'n', entries: [ALLOW_ALL, { ...entry('Allow', '10.0.0.1'), action: 'Deny' }] },
        [`[invalid]${e}[1].action`],
      ],
      [
        'no start address',
        { name: 'n', entries: [ALLOW_ALL, { action: 'Block', endIPAddress: '10.0.0.1' }] },
        [`[blank]${e}[1].startIPAddress`],
      ],
      [
        'an invalid start address',
        { name: 'n', entries: [ALLOW_ALL, entry('Block', '10.0.0', '10.0.0.1')] },
        [`[invalid]${e}[1].startIPAddress`],
      ],
      [
        'no end address',
        { name: 'n', entries: [ALLOW_ALL, { action: 'Block', startIPAddress: '10.0.0.1' }] },
        [`[blank]${e}[1].endIPAddress`],
      ],
      [
        'an invalid end address',
        { name: 'n', entries: [ALLOW_ALL, entry('Block', '10.0.0.1', '10.0.0.256')] },
        [`[invalid]${e}[1].endIPAddress`],
      ],
      [
        'a CIDR block instead of an address',
        { name: 'n', entries: [ALLOW_ALL, entry('Block', '10.0.0.0/8', '10.0.0.0/8')] },
        [`[invalid]${e}[1].endIPAddress`, `[invalid]${e}[1].startIPAddress`],
      ],
      [
        'an IPv4 range that ends before it starts',
        { name: 'n', entries: [ALLOW_ALL, entry('Block', '10.0.0.2', '10.0.0.1')] },
        [`[invalid]${e}[1].endIPAddress`],
      ],
      [
        'an IPv6 range that ends before it starts',
        { name: 'n', entries: [ALLOW_ALL, entry('Block', '2001:db8::2', '2001:db8::1')] },
        [`[invalid]${e}[1].endIPAddress`],
      ],
      [
        'a range across families',
        { name: 'n', entries: [ALLOW_ALL, entry('Block', '10.0.0.1', '::ffff:a00:1:0')] },
        [`[invalid]${e}[1].endIPAddress`],
      ],
      [
        'several problems at once, each reported',
        {
          entries: [entry('Block', 'x', 'y'), { action: 'Deny', startIPAddress: '1.1.1.1' }],
        },
        [
          `[blank]${e}[1].endIPAddress`,
          '[blank]ipAccessControlList.name',
          `[invalid]${e}[0].endIPAddress`,
          `[invalid]${e}[0].startIPAddress`,
          `[invalid]${e}[1].action`,
          `[missing]${e}`,
        ],
      ],
    ])('refuses %s', async (_, list, codes) => {
      expect(await codesOf(list)).toEqual(codes);
    });

    it('refuses a name in use, in any case, on create and on update', async () => {
      const taken = await createAcl([ALLOW_ALL]);
      expect(await codesOf({ name: taken.name, entries: [ALLOW_ALL] })).toEqual([
        '[duplicate]ipAccessControlList.name',
      ]);
      expect(await codesOf({ name: taken.name!.toUpperCase(), entries: [ALLOW_ALL] })).toEqual([
        '[duplicate]ipAccessControlList.name',
      ]);
      const other = await createAcl([ALLOW_ALL]);
      const renamed = await failure(
        test.client().updateIPAccessControlList(other.id!, {
          ipAccessControlList: { name: taken.name, entries: [ALLOW_ALL] },
        }),
      );
      expect(renamed.exception?.fieldErrors?.['ipAccessControlList.name']?.[0]?.code).toBe(
        '[duplicate]ipAccessControlList.name',
      );
    });
  });

  describe('API keys and lists', () => {
    it('refuses a key naming a list that does not exist, on create, update and patch', async () => {
      const code = '[invalid]apiKey.ipAccessControlListId';
      const codes = (refused: Awaited<ReturnType<typeof failure>>) => {
        expect(refused.statusCode).toBe(400);
        return Object.keys(refused.exception?.fieldErrors ?? {}).flatMap((field) =>
          refused.exception!.fieldErrors![field].map((error) => error.code),
        );
      };
      const unknown = randomUUID();
      expect(
        codes(
          await failure(
            test.client().createAPIKey(NONE, { apiKey: { ipAccessControlListId: unknown } }),
          ),
        ),
      ).toEqual([code]);
      const { id } = await createKey(test, {});
      expect(
        codes(
          await failure(
            test.client().updateAPIKey(id, { apiKey: { ipAccessControlListId: unknown } }),
          ),
        ),
      ).toEqual([code]);
      expect(
        codes(
          await failure(
            test.client().patchAPIKey(id, { apiKey: { ipAccessControlListId: unknown } }),
          ),
        ),
      ).toEqual([code]);
      const list = await createAcl([ALLOW_ALL]);
      const patched = await test
        .client()
        .patchAPIKey(id, { apiKey: { ipAccessControlListId: list.id } });
      expect(patched.response.apiKey!.ipAccessControlListId).toBe(list.id);
    });

    it('refuses to delete a list a key uses, and deletes it once none does', async () => {
      const list = await createAcl([ALLOW_ALL]);
      const { id } = await createKey(test, { ipAccessControlListId: list.id });
      const refused = await failure(test.client().deleteIPAccessControlList(list.id!));
      expect(refused).toEqual({
        statusCode: 400,
        exception: {
          generalErrors: [
            { code: '[ipAccessControlListInUse]', message: expect.any(String) as string },
          ],
        },
      });
      await test.client().deleteAPIKey(id);
      expect((await test.client().deleteIPAccessControlList(list.id!)).statusCode).toBe(200);
    });

    it('refuses to delete a list a tenant or an application names, and deletes it once none does', async () => {
      const list = await createAcl([ALLOW_ALL]);
      const ui = { accessControlConfiguration: { uiIPAccessControlListId: list.id } };
      const tenant = await test
        .client()
        .createTenant(null as unknown as string, { tenant: { name: `ui-${list.id}`, ...ui } });
      const tenantId = tenant.response.tenant!.id!;
      const application = await test
        .client(test.managerKey, tenantId)
        .createApplication(null as unknown as string, { application: { name: 'ui', ...ui } });
      const inUse = {
        statusCode: 400,
        exception: {
          generalErrors: [expect.objectContaining({ code: '[ipAccessControlListInUse]' })],
        },
      };
      expect(await failure(test.client().deleteIPAccessControlList(list.id!))).toEqual(inUse);
      await test.client().patchTenant(tenantId, {
        tenant: { accessControlConfiguration: { uiIPAccessControlListId: null as never } },
      });
      expect(await failure(test.client().deleteIPAccessControlList(list.id!))).toEqual(inUse);
      await test
        .client(test.managerKey, tenantId)
        .deleteApplication(application.response.application!.id!);
      expect((await test.client().deleteIPAccessControlList(list.id!)).statusCode).toBe(200);
    });
  });

  describe('who may change a list', () => {
    const ACL_ENDPOINTS = {
      '/api/ip-acl': ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      '/api/tenant': ['GET'],
    };
    const EMPTY_401 = { status: 401, body: '', contentType: null };

    async function send(key: string, method: string, id: string, body?: object) {
      const response = await test.http(`/api/ip-acl/${id}`, {
        key,
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {
        status: response.status,
        body: await response.text(),
        contentType: response.headers.get('content-type'),
      };
    }

    /** PUT, PATCH and DELETE, each lifting every restriction the list makes. */
    function changes(list: IPAccessControlList): [string, object | undefined][] {
      return [
        ['PUT', { ipAccessControlList: { name: list.name, entries: [ALLOW_ALL] } }],
        [
          'PATCH',
          { ipAccessControlList: { entries: [entry('Allow', '127.0.0.0', '127.255.255.255')] } },
        ],
        ['DELETE', undefined],
      ];
    }

    async function stored(id: string) {
      return (await test.client().retrieveIPAccessControlList(id)).response;
    }

    it('refuses a bound key every change to its own list, which stays as it was', async () => {
      const list = await createAcl([BLOCK_ALL, entry('Allow', '127.0.0.1')]);
      const { key } = await createKey(test, {
        ipAccessControlListId: list.id,
        permissions: { endpoints: ACL_ENDPOINTS },
      });
      const before = await stored(list.id!);
      for (const [method, body] of changes(list)) {
        expect({ method, answer: await send(key, method, list.id!, body) }).toEqual({
          method,
          answer: EMPTY_401,
        });
      }
      expect(await stored(list.id!)).toEqual(before);
      // Still bound by it: a read through another address stays refused.
      expect(await getTenants(test.url, key, { localAddress: '127.0.0.2' })).toEqual(REFUSED);
    });

    it('lets an unbound key with the same permissions change that list', async () => {
      const list = await createAcl([BLOCK_ALL, entry('Allow', '127.0.0.1')]);
      await createKey(test, {
        ipAccessControlListId: list.id,
        permissions: { endpoints: ACL_ENDPOINTS },
      });
      const { key: editor } = await createKey(test, { permissions: { endpoints: ACL_ENDPOINTS } });
      const [put, patch] = changes(list);
      expect((await send(editor, put[0], list.id!, put[1])).status).toBe(200);
      expect((await send(editor, patch[0], list.id!, patch[1])).status).toBe(200);
      expect((await stored(list.id!)).ipAccessControlList!.entries).toEqual([
        ALLOW_ALL,
        entry('Allow', '127.0.0.0', '127.255.255.255'),
      ]);
      // Allowed to change it, the editor still cannot delete a list in use.
      const deleted = await send(editor, 'DELETE', list.id!);
      expect(JSON.parse(deleted.body)).toMatchObject({
        generalErrors: [{ code: '[ipAccessControlListInUse]' }],
      });
    });

    it('refuses any key the lists that a stronger key is bound to', async () => {
      const { key: editor } = await createKey(test, { permissions: { endpoints: ACL_ENDPOINTS } });
      const { key: superEditor } = await createKey(test, {});
      const stronger: [string, object, string][] = [
        ['a super key', {}, editor],
        [
          'a key with more endpoints',
          { permissions: { endpoints: { ...ACL_ENDPOINTS, '/api/user': ['GET'] } } },
          editor,
        ],
        [
          'a key that never expires',
          { permissions: { endpoints: ACL_ENDPOINTS } },
          (
            await createKey(test, {
              permissions: { endpoints: ACL_ENDPOINTS },
              expirationInstant: Date.now() + 3_600_000,
            })
          ).key,
        ],
        [
          "another list's key: the editor is bound elsewhere",
          { permissions: { endpoints: ACL_ENDPOINTS } },
          (
            await createKey(test, {
              permissions: { endpoints: ACL_ENDPOINTS },
              ipAccessControlListId: (await createAcl([ALLOW_ALL])).id,
            })
          ).key,
        ],
      ];
      for (const [name, boundKey, by] of stronger) {
        const list = await createAcl([BLOCK_ALL, entry('Allow', '127.0.0.1')]);
        await createKey(test, { ...boundKey, ipAccessControlListId: list.id });
        const before = await stored(list.id!);
        for (const [method, body] of changes(list)) {
          expect({ name, method, answer: await send(by, method, list.id!, body) }).toEqual({
            name,
            method,
            answer: EMPTY_401,
          });
        }
        expect(await stored(list.id!)).toEqual(before);
      }
      // A super key without a list changes a list bound to a super key.
      const list = await createAcl([BLOCK_ALL, entry('Allow', '127.0.0.1')]);
      await createKey(test, { ipAccessControlListId: list.id });
      const [put] = changes(list);
      expect((await send(superEditor, put[0], list.id!, put[1])).status).toBe(200);
    });

    it('lets a bound key change and delete a list that no key uses', async () => {
      const own = await createAcl([ALLOW_ALL]);
      const { key } = await createKey(test, {
        ipAccessControlListId: own.id,
        permissions: { endpoints: ACL_ENDPOINTS },
      });
      const unused = await createAcl([BLOCK_ALL]);
      for (const [method, body] of changes(unused)) {
        expect({ method, status: (await send(key, method, unused.id!, body)).status }).toEqual({
          method,
          status: 200,
        });
      }
    });

    it("changes a key manager's list only with a manager's authority", async () => {
      const list = await createAcl([ALLOW_ALL]);
      const manager = await test.app.get(ApiKeyService).createTrusted({
        key: randomKey(),
        description: null,
        keyManager: true,
        tenantId: null,
        permissions: null,
      });
      await test.client().patchAPIKey(manager.id, { apiKey: { ipAccessControlListId: list.id } });
      const { key: superKey } = await createKey(test, {});
      const [put] = changes(list);
      expect(await send(superKey, put[0], list.id!, put[1])).toEqual(EMPTY_401);
      // The kickstart manager: a super key manager bound to no list and never expiring.
      expect((await send(test.managerKey, put[0], list.id!, put[1])).status).toBe(200);
    });
  });

  describe('enforcement', () => {
    async function boundKey(entries: IPAccessControlEntry[]) {
      const list = await createAcl(entries);
      const { key } = await createKey(test, { ipAccessControlListId: list.id });
      return { list, key };
    }

    it('refuses a bound key from a blocked address with the bare 401 of a bad key; other keys pass', async () => {
      const { key } = await boundKey([ALLOW_ALL, entry('Block', '127.0.0.1')]);
      const refused = await getTenants(test.url, key);
      expect(refused).toEqual(REFUSED);
      expect(refused).toEqual(await getTenants(test.url, `${key}-wrong`));
      expect(status(await getTenants(test.url, test.managerKey))).toBe(200);
      const { key: unbound } = await createKey(test, {});
      expect(status(await getTenants(test.url, unbound))).toBe(200);
    });

    it('admits a bound key from an allowed range', async () => {
      const { key } = await boundKey([BLOCK_ALL, entry('Allow', '127.0.0.0', '127.255.255.255')]);
      expect(status(await getTenants(test.url, key))).toBe(200);
    });

    it('tells loopback addresses apart by their source address', async () => {
      const { key } = await boundKey([ALLOW_ALL, entry('Block', '127.0.0.2')]);
      expect(status(await getTenants(test.url, key, { localAddress: '127.0.0.1' }))).toBe(200);
      expect(await getTenants(test.url, key, { localAddress: '127.0.0.2' })).toEqual(REFUSED);
    });

    it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      const forged = { headers: { 'x-forwarded-for': '203.0.113.7' } };
      const blockedLocal = await boundKey([ALLOW_ALL, entry('Block', '127.0.0.1')]);
      expect(await getTenants(test.url, blockedLocal.key, forged)).toEqual(REFUSED);
      const blockedRemote = await boundKey([ALLOW_ALL, entry('Block', '203.0.113.7')]);
      expect(status(await getTenants(test.url, blockedRemote.key, forged))).toBe(200);
    });

    it('enforces IPv6 ranges for an IPv6 peer', async () => {
      const v6 = await listenAlso(test, '::1');
      try {
        const { key } = await boundKey([ALLOW_ALL, entry('Block', '::1')]);
        expect(await getTenants(v6.url, key)).toEqual(REFUSED);
        expect(status(await getTenants(test.url, key))).toBe(200);
        const { key: allowedOnly } = await boundKey([BLOCK_ALL, entry('Allow', '::', '::ffff')]);
        expect(status(await getTenants(v6.url, allowedOnly))).toBe(200);
        expect(await getTenants(test.url, allowedOnly)).toEqual(REFUSED);
      } finally {
        await v6.close();
      }
    });

    it('judges an IPv4 peer of a dual-stack socket (::ffff:127.0.0.1) by its IPv4 address', async () => {
      const dual = await listenAlso(test, '::');
      try {
        const mapped = dual.url.replace('[::1]', '127.0.0.1');
        const { key } = await boundKey([ALLOW_ALL, entry('Block', '127.0.0.1')]);
        expect(await getTenants(mapped, key)).toEqual(REFUSED);
        const { key: other } = await boundKey([ALLOW_ALL, entry('Block', '127.0.0.2')]);
        expect(status(await getTenants(mapped, other))).toBe(200);
      } finally {
        await dual.close();
      }
    });

    it('applies a change to the list at once on the replica that made it', async () => {
      const { list, key } = await boundKey([ALLOW_ALL]);
      expect(status(await getTenants(test.url, key))).toBe(200);
      await test.client().patchIPAccessControlList(list.id!, {
        ipAccessControlList: { entries: [entry('Block', '127.0.0.1')] },
      });
      expect(await getTenants(test.url, key)).toEqual(REFUSED);
      await test.client().updateIPAccessControlList(list.id!, {
        ipAccessControlList: { name: list.name, entries: [ALLOW_ALL] },
      });
      expect(status(await getTenants(test.url, key))).toBe(200);
    });

    describe('a change made by another replica', () => {
      /** Writes the list as another replica would, behind this replica's back. */
      async function writeBehind(id: string, entries: IPAccessControlEntry[]): Promise<void> {
        await test.app
          .get(DataSource)
          .getRepository(IpAclEntity)
          .update({ id }, { entries: entries });
      }

      async function eventually(check: () => Promise<boolean>): Promise<void> {
        for (let attempt = 0; attempt < 50; attempt++) {
          if (await check()) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error('the change was never seen');
      }

      it('is seen when its bus message arrives', async () => {
        const { list, key } = await boundKey([ALLOW_ALL]);
        await writeBehind(list.id!, [BLOCK_ALL]);
        test.app.get(ChangeHub).onMessage({
          kind: 'change',
          event: { type: 'ipAcl.changed', ipAccessControlListId: list.id! },
          seq: 1,
          origin: 'another-replica',
          sentAt: Date.now(),
        });
        await eventually(async () => (await getTenants(test.url, key)).status === 401);
      });

      it('is seen after a bus resync', async () => {
        const { list, key } = await boundKey([ALLOW_ALL]);
        await writeBehind(list.id!, [BLOCK_ALL]);
        test.app.get(ChangeHub).onResync('test');
        await eventually(async () => (await getTenants(test.url, key)).status === 401);
      });

      it('refuses a key whose list is gone (fail closed)', async () => {
        const { list, key } = await boundKey([ALLOW_ALL]);
        await test.app.get(DataSource).getRepository(IpAclEntity).delete({ id: list.id! });
        test.app.get(ChangeHub).onResync('test');
        await eventually(async () => (await getTenants(test.url, key)).status === 401);
      });
    });
  });

  describe('behind a trusted proxy', () => {
    let proxied: TestApp;

    beforeAll(async () => {
      proxied = await startApp(dialect, { env: { TRUSTED_PROXIES: '127.0.0.1' } });
    });
    afterAll(() => proxied?.close());

    async function boundKey(entries: IPAccessControlEntry[]): Promise<string> {
      const created = await proxied.client().createIPAccessControlList(NONE, {
        ipAccessControlList: { name: uniqueName('proxied'), entries },
      });
      const list: IPAccessControlList = created.response.ipAccessControlList!;
      return (await createKey(proxied, { ipAccessControlListId: list.id })).key;
    }

    const via = (forwardedFor: string, localAddress = '127.0.0.1'): From => ({
      localAddress,
      headers: { 'x-forwarded-for': forwardedFor },
    });

    it('judges the address the proxy reports', async () => {
      const blocked = await boundKey([ALLOW_ALL, entry('Block', '203.0.113.7')]);
      expect(await getTenants(proxied.url, blocked, via('203.0.113.7'))).toEqual(REFUSED);
      expect(status(await getTenants(proxied.url, blocked, via('203.0.113.8')))).toBe(200);
      expect(status(await getTenants(proxied.url, blocked))).toBe(200);

      const allowedOnly = await boundKey([
        BLOCK_ALL,
        entry('Allow', '203.0.113.0', '203.0.113.255'),
      ]);
      expect(status(await getTenants(proxied.url, allowedOnly, via('203.0.113.7')))).toBe(200);
      expect(await getTenants(proxied.url, allowedOnly)).toEqual(REFUSED);
    });

    it('takes the right-most hop that is not a trusted proxy', async () => {
      const blocked = await boundKey([ALLOW_ALL, entry('Block', '198.51.100.1')]);
      expect(await getTenants(proxied.url, blocked, via('198.51.100.1, 127.0.0.1'))).toEqual(
        REFUSED,
      );
      // A client cannot hide behind an address it prepends itself.
      expect(await getTenants(proxied.url, blocked, via('192.0.2.1, 198.51.100.1'))).toEqual(
        REFUSED,
      );
    });

    it('ignores the header from a peer that is not the trusted proxy', async () => {
      const blocked = await boundKey([ALLOW_ALL, entry('Block', '127.0.0.2')]);
      expect(await getTenants(proxied.url, blocked, via('203.0.113.7', '127.0.0.2'))).toEqual(
        REFUSED,
      );
    });

    it('falls back to the proxy itself for a header it cannot read', async () => {
      const blocked = await boundKey([ALLOW_ALL, entry('Block', '127.0.0.1')]);
      expect(await getTenants(proxied.url, blocked, via('not-an-address'))).toEqual(REFUSED);
    });
  });
});

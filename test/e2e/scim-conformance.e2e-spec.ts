import { randomUUID } from 'node:crypto';
import { createTenant, dialects, failure, startApp, TestApp } from '../support/app';
import { rawRequest } from '../support/http';
import { scimAuthorization } from '../support/client-credentials';

const BASE = '/api/scim/resource/v2';
const SCIM_JSON = 'application/scim+json; charset=utf-8';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PERMISSIONS = ['user', 'group'].flatMap((kind) =>
  ['read', 'create', 'update', 'delete'].map((action) => `scim:${kind}:${action}`),
);
const STRONG = 'Correct-Horse-7-battery';

interface Answer {
  status: number;
  contentType: string | undefined;
  location: string | undefined;
  body: string;
  json: Record<string, unknown>;
}

jest.setTimeout(120_000);

describe.each(dialects())('SCIM conformance (RFC 7644) on %s', (dialect) => {
  let test: TestApp;
  let tenantA: string;
  let tenantB: string;
  let authA: string;
  let authB: string;
  const ids: Record<string, string> = {};

  async function scim(
    method: string,
    path: string,
    body?: unknown,
    options: { auth?: string | null; contentType?: string; raw?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    const auth = options.auth === undefined ? authA : options.auth;
    if (auth !== null) headers.authorization = auth;
    const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined)
      headers['content-type'] = options.contentType ?? 'application/scim+json';
    const response = await rawRequest(test.url, method, `${BASE}${path}`, headers, payload);
    let json: Record<string, unknown> = {};
    try {
      json = response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>);
    } catch {
      json = { unparsed: response.body };
    }
    return {
      status: response.status,
      contentType: response.contentType,
      location: response.headers.location,
      body: response.body,
      json,
    };
  }

  const userNames = (answer: Answer) =>
    (answer.json.Resources as { userName: string }[]).map((user) => user.userName).sort();

  async function createUser(resource: Record<string, unknown>, auth = authA): Promise<string> {
    const created = await scim('POST', '/Users', { schemas: [USER_SCHEMA], ...resource }, { auth });
    expect(created.status).toBe(201);
    return created.json.id as string;
  }

  beforeAll(async () => {
    test = await startApp(dialect);
    tenantA = await createTenant(test);
    tenantB = await createTenant(test);
    authA = await scimAuthorization(test, tenantA, PERMISSIONS);
    authB = await scimAuthorization(test, tenantB, PERMISSIONS);
    ids.bjensen = await createUser({
      userName: 'bjensen',
      externalId: 'bjensen-ext',
      name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Ms. Barbara J Jensen' },
      displayName: 'Babs Jensen',
      emails: [
        { value: 'babs@jensen.org', type: 'home' },
        { value: 'bjensen@example.com', type: 'work', primary: true },
      ],
      password: STRONG,
    });
    ids.jsmith = await createUser({
      userName: 'jsmith',
      name: { givenName: 'John', familyName: 'Smith' },
      emails: [{ value: 'john@example.org' }],
      active: false,
    });
    ids.emailOnly = await createUser({ emails: [{ value: 'only@example.com' }] });
    for (const n of [1, 2, 3]) ids[`page${n}`] = await createUser({ userName: `page${n}` });
    ids.foreign = await createUser({ userName: 'bjensen' }, authB);
    const foreignGroup = await scim(
      'POST',
      '/Groups',
      { schemas: [GROUP_SCHEMA], displayName: 'Tour Guides', members: [{ value: ids.foreign }] },
      { auth: authB },
    );
    ids.foreignGroup = foreignGroup.json.id as string;
  });
  afterAll(() => test?.close());

  describe('resources and statuses (§3.3, §3.4.1, §3.5.1, §3.6)', () => {
    it('creates a User: 201, the resource, Location and meta, in application/scim+json', async () => {
      const created = await scim('POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName: 'created',
        emails: [{ value: 'Created@Example.com', type: 'work' }],
      });
      expect(created.status).toBe(201);
      expect(created.contentType).toBe(SCIM_JSON);
      const id = created.json.id as string;
      expect(created.json).toEqual({
        schemas: [USER_SCHEMA],
        id,
        userName: 'created',
        active: true,
        emails: [{ value: 'created@example.com', primary: true }],
        meta: {
          resourceType: 'User',
          created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
          lastModified: expect.any(String) as string,
          location: `${test.url}${BASE}/Users/${id}`,
          version: expect.stringMatching(/^W\/"\d+"$/) as string,
        },
      });
      expect(created.location).toBe(`${test.url}${BASE}/Users/${id}`);
      const got = await scim('GET', `/Users/${id}`);
      expect({ status: got.status, json: got.json }).toEqual({ status: 200, json: created.json });
      const removed = await scim('DELETE', `/Users/${id}`);
      expect({ status: removed.status, body: removed.body, type: removed.contentType }).toEqual({
        status: 204,
        body: '',
        type: undefined,
      });
      expect((await scim('GET', `/Users/${id}`)).status).toBe(404);
      expect((await scim('DELETE', `/Users/${id}`)).status).toBe(404);
    });

    it('maps a User onto the User API, and back', async () => {
      const user = (await test.client(test.managerKey, tenantA).retrieveUser(ids.bjensen)).response
        .user!;
      expect(user).toMatchObject({
        username: 'bjensen',
        email: 'bjensen@example.com',
        firstName: 'Barbara',
        lastName: 'Jensen',
        fullName: 'Ms. Barbara J Jensen',
        active: true,
        verified: true,
        data: { scim: { externalId: 'bjensen-ext', displayName: 'Babs Jensen' } },
      });
      const got = await scim('GET', `/Users/${ids.bjensen}`);
      expect(got.json).toMatchObject({
        userName: 'bjensen',
        externalId: 'bjensen-ext',
        displayName: 'Babs Jensen',
        name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Ms. Barbara J Jensen' },
        emails: [{ value: 'bjensen@example.com', primary: true }],
        active: true,
      });
      expect(got.json).not.toHaveProperty('password');
      const emailOnly = await scim('GET', `/Users/${ids.emailOnly}`);
      expect(emailOnly.json.userName).toBe('only@example.com');
      expect((await scim('GET', `/Users/${ids.jsmith}`)).json.active).toBe(false);
    });

    it('replaces a User with PUT (200), keeping what SCIM does not model', async () => {
      const id = await createUser({ userName: 'replace-me', emails: [{ value: 'r@example.com' }] });
      await test
        .client(test.managerKey, tenantA)
        .patchUser(id, { user: { birthDate: '1980-01-02', data: { team: 'blue' } } });
      const replaced = await scim('PUT', `/Users/${id}`, {
        schemas: [USER_SCHEMA],
        userName: 'replaced',
        name: { givenName: 'Re' },
        active: false,
      });
      expect(replaced.status).toBe(200);
      expect(replaced.location).toBe(`${test.url}${BASE}/Users/${id}`);
      expect(replaced.json).toMatchObject({
        userName: 'replaced',
        active: false,
        name: { givenName: 'Re' },
      });
      expect(replaced.json).not.toHaveProperty('emails');
      const user = (await test.client(test.managerKey, tenantA).retrieveUser(id)).response.user!;
      expect(user).toMatchObject({
        birthDate: '1980-01-02',
        data: { team: 'blue' },
        active: false,
      });
      const again = await scim('PUT', `/Users/${id}`, { userName: 'replaced', active: true });
      expect(again.json.active).toBe(true);
    });
  });

  describe('filters (§3.4.2.2)', () => {
    it.each([
      ['userName eq "bjensen"', ['bjensen']],
      ['USERNAME eq "BJENSEN"', ['bjensen']],
      ['userName eq "only@example.com"', ['only@example.com']],
      ['emails.value eq "bjensen@example.com"', ['bjensen']],
      ['emails eq "JOHN@example.org"', ['jsmith']],
      ['emails[type eq "work"]', []],
      ['emails[value co "example.com"]', ['bjensen', 'only@example.com']],
      ['displayName eq "Babs Jensen"', ['bjensen']],
      ['externalId eq "bjensen-ext"', ['bjensen']],
      ['externalId eq "BJENSEN-EXT"', []],
      ['active eq false', ['jsmith']],
      ['userName sw "page" and not (userName eq "page2")', ['page1', 'page3']],
      ['userName eq "page1" or userName eq "page3"', ['page1', 'page3']],
      ['(userName eq "jsmith" or userName eq "bjensen") and active eq true', ['bjensen']],
      ['name.familyName co "mit"', ['jsmith']],
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ['jsmith']],
      ['title pr', []],
      ['externalId pr', ['bjensen']],
      ['meta.created gt "2000-01-01T00:00:00Z" and userName eq "page2"', ['page2']],
      ['userName eq "nobody"', []],
      ['userName eq "a \\"quoted\\" name"', []],
      ['userName eq "x\'; DROP TABLE users; --"', []],
    ])('%s', async (filter, expected) => {
      const answer = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe(SCIM_JSON);
      expect(userNames(answer)).toEqual(expected);
      expect(answer.json).toMatchObject({
        schemas: [LIST_SCHEMA],
        totalResults: expected.length,
        itemsPerPage: expected.length,
        startIndex: 1,
      });
    });

    it("finds by id, and never another tenant's user", async () => {
      const byId = await scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${ids.page1}"`)}`);
      expect(userNames(byId)).toEqual(['page1']);
      const foreign = await scim(
        'GET',
        `/Users?filter=${encodeURIComponent(`id eq "${ids.foreign}"`)}`,
      );
      expect(foreign.json.totalResults).toBe(0);
    });

    it.each([
      'userName',
      'userName eq',
      'userName zz "a"',
      '(userName eq "a"',
      'userName eq "unterminated',
      'active gt true',
      `${'('.repeat(100)}userName eq "a"${')'.repeat(100)}`,
    ])('refuses %j with 400 invalidFilter', async (filter) => {
      const answer = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(answer.status).toBe(400);
      expect(answer.contentType).toBe(SCIM_JSON);
      expect(answer.json).toEqual({
        schemas: [ERROR_SCHEMA],
        status: '400',
        scimType: 'invalidFilter',
        detail: expect.any(String) as string,
      });
    });
  });

  describe('paging (§3.4.2.4)', () => {
    const pages = (query: string) =>
      scim('GET', `/Users?filter=${encodeURIComponent('userName sw "page"')}&${query}`);

    it.each([
      ['startIndex=1&count=2', 3, 1, ['page1', 'page2']],
      ['startIndex=2&count=2', 3, 2, ['page2', 'page3']],
      ['startIndex=3&count=10', 3, 3, ['page3']],
      ['startIndex=4', 3, 4, []],
      ['startIndex=0&count=1', 3, 1, ['page1']],
      ['startIndex=-5&count=1', 3, 1, ['page1']],
      ['count=0', 3, 1, []],
      ['count=-1', 3, 1, []],
    ])('%s', async (query, total, startIndex, names) => {
      const answer = await pages(query);
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        totalResults: total,
        startIndex,
        itemsPerPage: names.length,
      });
      expect((answer.json.Resources as { userName: string }[]).map((u) => u.userName)).toEqual(
        names,
      );
    });

    it('pages the unfiltered list in the same way', async () => {
      const all = await scim('GET', '/Users?count=1000');
      const total = all.json.totalResults as number;
      expect(total).toBeGreaterThanOrEqual(6);
      expect(userNames(all)).not.toContain(undefined);
      const second = await scim('GET', '/Users?startIndex=2&count=2');
      expect(second.json).toMatchObject({ totalResults: total, itemsPerPage: 2, startIndex: 2 });
      expect(second.json.Resources).toEqual((all.json.Resources as unknown[]).slice(1, 3));
      const far = await scim('GET', '/Users?startIndex=999999999999999&count=5');
      expect(far.json).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
      expect((await scim('GET', '/Users?count=0')).json).toMatchObject({
        totalResults: total,
        itemsPerPage: 0,
        Resources: [],
      });
    });

    it('refuses a count that is not a number', async () => {
      const answer = await scim('GET', '/Users?count=ten');
      expect(answer.json).toMatchObject({ status: '400', scimType: 'invalidValue' });
    });
  });

  describe('PatchOp (§3.5.2)', () => {
    const patch = (path: string, ...Operations: object[]) =>
      scim('PATCH', path, { schemas: [PATCH_OP], Operations });

    it('replaces simple and complex attributes of a User, with and without a path', async () => {
      const id = await createUser({ userName: 'patchme', emails: [{ value: 'p@example.com' }] });
      const patched = await patch(
        `/Users/${id}`,
        { op: 'Replace', path: 'name.givenName', value: 'Pat' },
        { op: 'add', path: 'displayName', value: 'Pat Patch' },
        { op: 'replace', value: { externalId: 'ext-9', 'name.familyName': 'Patch' } },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'ignored@example.com' },
      );
      // The last operation names a value no email has.
      expect(patched.json).toMatchObject({ status: '400', scimType: 'noTarget' });
      const ok = await patch(
        `/Users/${id}`,
        { op: 'Replace', path: 'name.givenName', value: 'Pat' },
        { op: 'add', path: 'displayName', value: 'Pat Patch' },
        { op: 'replace', value: { externalId: 'ext-9', 'name.familyName': 'Patch' } },
        { op: 'replace', path: 'emails[value eq "p@example.com"].value', value: 'q@example.com' },
      );
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({
        userName: 'patchme',
        displayName: 'Pat Patch',
        externalId: 'ext-9',
        name: { givenName: 'Pat', familyName: 'Patch' },
        emails: [{ value: 'q@example.com', primary: true }],
      });
      const removed = await patch(`/Users/${id}`, { op: 'remove', path: 'externalId' });
      expect(removed.json).not.toHaveProperty('externalId');
    });

    it('deactivates and reactivates (Azure AD sends "False" as a string)', async () => {
      const id = await createUser({ userName: 'toggle' });
      const off = await patch(`/Users/${id}`, { op: 'Replace', path: 'active', value: 'False' });
      expect(off.json.active).toBe(false);
      const user = (await test.client(test.managerKey, tenantA).retrieveUser(id)).response.user!;
      expect(user.active).toBe(false);
      const on = await patch(`/Users/${id}`, { op: 'replace', value: { active: true } });
      expect(on.json.active).toBe(true);
    });

    it('adds, removes by filter, and replaces Group members (§3.5.2.1–3)', async () => {
      const created = await scim('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Tour Guides',
        externalId: 'tg-1',
        members: [{ value: ids.bjensen, display: 'ignored', type: 'User' }],
      });
      expect(created.status).toBe(201);
      const id = created.json.id as string;
      expect(created.json).toEqual({
        schemas: [GROUP_SCHEMA],
        id,
        externalId: 'tg-1',
        displayName: 'Tour Guides',
        members: [
          {
            value: ids.bjensen,
            display: 'Ms. Barbara J Jensen',
            type: 'User',
            $ref: `${test.url}${BASE}/Users/${ids.bjensen}`,
          },
        ],
        meta: expect.objectContaining({
          resourceType: 'Group',
          location: `${test.url}${BASE}/Groups/${id}`,
        }) as object,
      });
      const members = (answer: Answer) =>
        (answer.json.members as { value: string }[]).map((m) => m.value).sort();

      const added = await patch(`/Groups/${id}`, {
        op: 'add',
        path: 'members',
        value: [{ value: ids.jsmith }, { value: ids.page1 }],
      });
      expect(members(added)).toEqual([ids.bjensen, ids.jsmith, ids.page1].sort());
      const removed = await patch(`/Groups/${id}`, {
        op: 'remove',
        path: `members[value eq "${ids.jsmith}"]`,
      });
      expect(members(removed)).toEqual([ids.bjensen, ids.page1].sort());
      const replaced = await patch(
        `/Groups/${id}`,
        { op: 'remove', path: 'members' },
        { op: 'add', path: 'members', value: [{ value: ids.page2 }] },
        { op: 'replace', path: 'displayName', value: 'Guides' },
      );
      expect(members(replaced)).toEqual([ids.page2]);
      expect(replaced.json.displayName).toBe('Guides');
      const listed = await test.client(test.managerKey, tenantA).searchGroupMembers({
        search: { groupId: id },
      });
      expect(listed.response.members!.map((m) => m.userId)).toEqual([ids.page2]);
      const filtered = await scim(
        'GET',
        `/Groups?filter=${encodeURIComponent('displayName eq "guides"')}`,
      );
      expect(filtered.json.totalResults).toBe(1);
      expect((filtered.json.Resources as object[])[0]).toEqual(replaced.json);
      expect((await scim('DELETE', `/Groups/${id}`)).status).toBe(204);
      expect((await scim('GET', `/Groups/${id}`)).status).toBe(404);
    });

    it.each([
      [{ Operations: [{ op: 'add', path: 'displayName', value: 'x' }] }, 'invalidSyntax'],
      [{ schemas: [PATCH_OP], Operations: [{ op: 'jump', path: 'displayName' }] }, 'invalidSyntax'],
      [
        { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'x' }] },
        'invalidPath',
      ],
      [
        { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'emails[', value: 'x' }] },
        'invalidPath',
      ],
      [
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: 3 }] },
        'invalidValue',
      ],
      [
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: {} }] },
        'invalidValue',
      ],
      [
        {
          schemas: [PATCH_OP],
          Operations: [
            { op: 'remove', path: 'userName' },
            { op: 'remove', path: 'emails' },
          ],
        },
        'invalidValue',
      ],
    ])('refuses %j', async (body, scimType) => {
      const answer = await scim('PATCH', `/Users/${ids.page3}`, body);
      expect({ status: answer.status, type: answer.contentType, json: answer.json }).toEqual({
        status: 400,
        type: SCIM_JSON,
        json: {
          schemas: [ERROR_SCHEMA],
          status: '400',
          scimType,
          detail: expect.any(String) as string,
        },
      });
    });
  });

  describe('errors (§3.12)', () => {
    it.each([
      ['POST', '/Users', { schemas: [USER_SCHEMA], userName: 'bjensen' }, 409, 'uniqueness'],
      [
        'POST',
        '/Users',
        { schemas: [USER_SCHEMA], emails: [{ value: 'BJENSEN@example.com' }] },
        409,
        'uniqueness',
      ],
      [
        'POST',
        '/Users',
        { schemas: [USER_SCHEMA], name: { givenName: 'No Login' } },
        400,
        'invalidValue',
      ],
      [
        'POST',
        '/Users',
        { schemas: [USER_SCHEMA], userName: 'weak', password: 'a' },
        400,
        'invalidValue',
      ],
      ['POST', '/Users', { schemas: [USER_SCHEMA], userName: 7 }, 400, 'invalidValue'],
      [
        'POST',
        '/Users',
        { schemas: [USER_SCHEMA], userName: 'x', emails: 'x@y.z' },
        400,
        'invalidValue',
      ],
      [
        'POST',
        '/Users',
        { schemas: [USER_SCHEMA], emails: [{ value: 'not-an-email' }] },
        400,
        'invalidValue',
      ],
      [
        'POST',
        '/Users',
        { schemas: [USER_SCHEMA], userName: 'x'.repeat(300) },
        400,
        'invalidValue',
      ],
      ['POST', '/Users', { schemas: 'nope', userName: 'x' }, 400, 'invalidSyntax'],
      ['POST', '/Users', { schemas: [GROUP_SCHEMA], userName: 'x' }, 400, 'invalidSyntax'],
      ['POST', '/Users', null, 400, 'invalidSyntax'],
      ['POST', '/Users', [], 400, 'invalidSyntax'],
      ['POST', '/Users', 'text', 400, 'invalidSyntax'],
      ['PUT', '/Users/:bjensen', { schemas: [USER_SCHEMA], userName: 'jsmith' }, 409, 'uniqueness'],
      ['POST', '/Groups', { schemas: [GROUP_SCHEMA] }, 400, 'invalidValue'],
      [
        'POST',
        '/Groups',
        { displayName: 'g', members: [{ value: 'not-a-uuid' }] },
        400,
        'invalidValue',
      ],
      [
        'POST',
        '/Groups',
        { displayName: 'g', members: [{ value: ':foreign' }] },
        400,
        'invalidValue',
      ],
      [
        'POST',
        '/Groups',
        { displayName: 'g', members: [{ value: ':bjensen', type: 'Group' }] },
        400,
        'invalidValue',
      ],
      ['GET', `/Users/${randomUUID()}`, undefined, 404, null],
      ['GET', '/Users/not-a-uuid', undefined, 404, null],
      ['GET', '/Users/:foreign', undefined, 404, null],
      ['PUT', '/Users/:foreign', { userName: 'stolen' }, 404, null],
      [
        'PATCH',
        '/Users/:foreign',
        { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'externalId' }] },
        404,
        null,
      ],
      ['DELETE', '/Users/:foreign', undefined, 404, null],
      ['GET', `/Groups/${randomUUID()}`, undefined, 404, null],
      ['GET', '/Groups/:foreignGroup', undefined, 404, null],
      ['PUT', '/Groups/:foreignGroup', { displayName: 'stolen' }, 404, null],
      ['DELETE', '/Groups/:foreignGroup', undefined, 404, null],
      ['GET', '/Schemas/urn:nothing', undefined, 404, null],
      ['GET', '/ResourceTypes/Device', undefined, 404, null],
    ])('%s %s %j → %i %s', async (method, path, body, status, scimType) => {
      const filled = path.replace(
        /:(bjensen|foreignGroup|foreign)/,
        (_, name: string) => ids[name],
      );
      const payload = body as { members?: { value: string }[] } | undefined;
      for (const entry of payload?.members ?? [])
        entry.value = entry.value.replace(/^:(bjensen|foreign)$/, (_, name: string) => ids[name]);
      const answer = await scim(method, filled, body);
      expect({ status: answer.status, type: answer.contentType, json: answer.json }).toEqual({
        status,
        type: SCIM_JSON,
        json: {
          schemas: [ERROR_SCHEMA],
          status: String(status),
          ...(scimType === null ? {} : { scimType }),
          detail: expect.any(String) as string,
        },
      });
      expect(answer.body).not.toMatch(/at \w+ \(|SELECT|INSERT|sqlite|mysql/i);
    });

    it('refuses malformed and deeply nested bodies, and other content types, with SCIM bodies', async () => {
      const cases: [string, string, string][] = [
        ['{"userName": ', 'application/scim+json', 'invalidSyntax'],
        ['{"userName": "x"', 'application/json', 'invalidSyntax'],
        [`${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/scim+json', 'invalidSyntax'],
        [
          `{"a":${'{"a":'.repeat(100)}1${'}'.repeat(101)}`,
          'application/scim+json',
          'invalidSyntax',
        ],
        ['userName=x', 'text/plain', 'invalidSyntax'],
      ];
      for (const [raw, contentType, scimType] of cases) {
        const answer = await scim('POST', '/Users', undefined, { raw, contentType });
        expect({ status: answer.status, type: answer.contentType, json: answer.json }).toEqual({
          status: 400,
          type: SCIM_JSON,
          json: {
            schemas: [ERROR_SCHEMA],
            status: '400',
            scimType,
            detail: expect.any(String) as string,
          },
        });
      }
    });

    it('answers a request without credentials 401 with a SCIM body', async () => {
      for (const [method, path] of [
        ['GET', '/Users'],
        ['POST', '/Users'],
        ['GET', `/Groups/${randomUUID()}`],
        ['DELETE', `/Groups/${randomUUID()}`],
      ]) {
        const answer = await scim(method, path, method === 'POST' ? {} : undefined, { auth: null });
        expect({ status: answer.status, type: answer.contentType, json: answer.json }).toEqual({
          status: 401,
          type: SCIM_JSON,
          json: { schemas: [ERROR_SCHEMA], status: '401', detail: expect.any(String) as string },
        });
      }
    });
  });

  describe('content types (§3.1, §8.1)', () => {
    it('takes application/json as well as application/scim+json', async () => {
      const created = await scim(
        'POST',
        '/Users',
        { userName: 'plain-json' },
        { contentType: 'application/json' },
      );
      expect({ status: created.status, type: created.contentType }).toEqual({
        status: 201,
        type: SCIM_JSON,
      });
    });
  });

  describe('discovery (§4), without credentials', () => {
    it('serves ServiceProviderConfig', async () => {
      const answer = await scim('GET', '/ServiceProviderConfig', undefined, { auth: null });
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe(SCIM_JSON);
      expect(answer.json).toMatchObject({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: false },
        filter: { supported: true, maxResults: 1000 },
        sort: { supported: false },
        etag: { supported: false },
        authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' }) as object],
      });
    });

    it('serves ResourceTypes and Schemas, as lists and one by one', async () => {
      const types = await scim('GET', '/ResourceTypes', undefined, { auth: null });
      expect(types.json).toMatchObject({ schemas: [LIST_SCHEMA], totalResults: 2 });
      expect(
        (types.json.Resources as { id: string; endpoint: string; schema: string }[]).map((type) => [
          type.id,
          type.endpoint,
          type.schema,
        ]),
      ).toEqual([
        ['User', '/Users', USER_SCHEMA],
        ['Group', '/Groups', GROUP_SCHEMA],
      ]);
      const user = await scim('GET', '/ResourceTypes/User', undefined, { auth: null });
      expect(user.json).toMatchObject({ id: 'User', name: 'User' });
      const schemas = await scim('GET', '/Schemas', undefined, { auth: null });
      expect((schemas.json.Resources as { id: string }[]).map((s) => s.id)).toEqual([
        USER_SCHEMA,
        GROUP_SCHEMA,
      ]);
      const userSchema = await scim('GET', `/Schemas/${USER_SCHEMA}`, undefined, { auth: null });
      const attributes = (userSchema.json.attributes as { name: string }[]).map((a) => a.name);
      expect(attributes).toEqual(
        expect.arrayContaining(['userName', 'name', 'emails', 'active', 'externalId']),
      );
    });
  });

  describe('the tenant setting', () => {
    it('reads back what scimAuthorization set, and requires both entity types when enabled', async () => {
      const tenant = (await test.client().retrieveTenant(tenantA)).response.tenant!;
      expect(tenant.scimServerConfiguration).toEqual({
        enabled: true,
        clientEntityTypeId: expect.any(String) as string,
        serverEntityTypeId: expect.any(String) as string,
      });
      const refused = await failure(
        test.client().createTenant(NONE, {
          tenant: {
            name: `scim-${randomUUID()}`,
            scimServerConfiguration: { enabled: true, serverEntityTypeId: 'nope' },
          },
        }),
      );
      expect(refused.statusCode).toBe(400);
      expect(
        Object.values(refused.exception!.fieldErrors!)
          .flat()
          .map((e) => e.code)
          .sort(),
      ).toEqual([
        '[blank]tenant.scimServerConfiguration.clientEntityTypeId',
        '[couldNotConvert]tenant.scimServerConfiguration.serverEntityTypeId',
      ]);
    });
  });
});

const NONE = null as unknown as string;

import type { ForgotPasswordRequest, Tenant } from '@fusionauth/typescript-client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { digestKey } from '../../src/auth/key-digest';
import { ChangePasswordIdEntity } from '../../src/password/password.entity';
import { PasswordHasher } from '../../src/password/password.hasher';
import { PasswordService } from '../../src/password/password.service';
import { TenantEntity } from '../../src/tenant/tenant.entity';
import { UserEntity } from '../../src/user/user.entity';
import {
  createKey,
  createTenant,
  dialects,
  failure,
  refusalCodes,
  startApp,
  TestApp,
} from '../support/app';
import {
  createUser,
  DEFAULT_PASSWORD_RULES_JSON,
  seedApplication,
  uniqueEmail,
  uniqueName,
} from '../support/fixtures';
import { rawRequest, RawResponse } from '../support/http';

const NONE = null as unknown as string;
const DEFAULT_RULES = DEFAULT_PASSWORD_RULES_JSON;
const STRICT = {
  minLength: 10,
  maxLength: 20,
  requireMixedCase: true,
  requireNonAlpha: true,
  requireNumber: true,
};
const GOOD = 'Str0ng & long';
const TENANT_REQUIRED = '[TenantIdRequired]';

jest.setTimeout(120_000);

function expectEmpty(response: RawResponse, status: number): void {
  expect({ status: response.status, body: response.body, type: response.contentType }).toEqual({
    status,
    body: '',
    type: undefined,
  });
}

function json(response: RawResponse): { status: number; body: unknown } {
  return { status: response.status, body: JSON.parse(response.body) as unknown };
}

describe.each(dialects())('password endpoints on %s', (dialect) => {
  let test: TestApp;
  /** A tenant with the strict rules, and one with FusionAuth's defaults. */
  let strict: string;
  let plain: string;
  const manager = (tenantId: string) => test.client(test.managerKey, tenantId);
  const anonymous = () => test.client(null);

  beforeAll(async () => {
    // Every log line is written (to memory), so that the secret check at close means something.
    test = await startApp(dialect, { env: { LOG_LEVEL: 'trace' } });
    strict = (
      await test.client().createTenant(NONE, {
        tenant: { name: uniqueName('strict'), passwordValidationRules: STRICT },
      })
    ).response.tenant!.id!;
    plain = await createTenant(test);
  });
  afterAll(() => test?.close());

  const ids = () => test.app.get(DataSource).getRepository(ChangePasswordIdEntity);
  const stored = async (id: string) =>
    (await test.app.get(DataSource).getRepository(UserEntity).findOneBy({ id }))!;
  const hasPassword = async (userId: string, password: string) =>
    test.app.get(PasswordHasher).verify((await stored(userId)).passwordHash!, password);

  /** A user of the tenant; its email is the login id. */
  async function user(tenantId: string, password = GOOD): Promise<{ id: string; email: string }> {
    const email = uniqueEmail('pw');
    const id = await createUser(test, tenantId, { email, password });
    return { id, email };
  }

  /** Starts the workflow with the manager key; the id is a secret the logs must not hold. */
  async function forgot(tenantId: string, request: ForgotPasswordRequest): Promise<string> {
    const response = await manager(tenantId).forgotPassword({
      sendForgotPasswordEmail: false,
      ...request,
    });
    expect(response.statusCode).toBe(200);
    const id = response.response.changePasswordId!;
    test.watch.add(id);
    return id;
  }

  function post(path: string, body: string | undefined, headers: Record<string, string> = {}) {
    const withType: Record<string, string> =
      body === undefined ? {} : { 'content-type': 'application/json' };
    return rawRequest(test.url, 'POST', path, { ...withType, ...headers }, body);
  }

  describe('the password validation rules', () => {
    it("answers FusionAuth's defaults without any credential", async () => {
      const response = await anonymous().retrievePasswordValidationRulesWithTenantId(
        test.defaultTenantId,
      );
      expect(response.statusCode).toBe(200);
      expect(response.response).toEqual({ passwordValidationRules: DEFAULT_RULES });
    });

    it("answers a tenant's own rules, and shows them and the id lifetime on the tenant", async () => {
      const response = await anonymous().retrievePasswordValidationRulesWithTenantId(strict);
      expect(response.response).toEqual({
        passwordValidationRules: { ...DEFAULT_RULES, ...STRICT },
      });
      const tenant = (await test.client().retrieveTenant(strict)).response.tenant!;
      expect(tenant.passwordValidationRules).toEqual({ ...DEFAULT_RULES, ...STRICT });
      expect(tenant.externalIdentifierConfiguration).toEqual({
        changePasswordIdTimeToLiveInSeconds: 600,
      });
    });

    it('changes with PATCH, returns to the defaults on a PUT without them', async () => {
      const id = await createTenant(test);
      const patched = await test.client().patchTenant(id, {
        tenant: {
          passwordValidationRules: {
            requireNumber: true,
            rememberPreviousPasswords: { enabled: true, count: 3 },
          },
          externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: 60 },
        },
      });
      expect(patched.response.tenant!.passwordValidationRules).toEqual({
        ...DEFAULT_RULES,
        requireNumber: true,
        rememberPreviousPasswords: { enabled: true, count: 3 },
      });
      expect(patched.response.tenant!.externalIdentifierConfiguration).toEqual({
        changePasswordIdTimeToLiveInSeconds: 60,
      });
      const name = patched.response.tenant!.name!;
      const replaced = await test.client().updateTenant(id, { tenant: { name } });
      expect(replaced.response.tenant!.passwordValidationRules).toEqual(DEFAULT_RULES);
      expect((await anonymous().retrievePasswordValidationRulesWithTenantId(id)).response).toEqual({
        passwordValidationRules: DEFAULT_RULES,
      });
    });

    it('reads a tenant stored before the rules existed as having the defaults', async () => {
      const id = await createTenant(test);
      const tenants = test.app.get(DataSource).getRepository(TenantEntity);
      const [row] = await tenants.query<{ c: string }[]>(
        'SELECT configuration AS c FROM tenants WHERE id = ?',
        [id],
      );
      const older = JSON.parse(row.c) as Record<string, unknown>;
      delete older.passwordValidationRules;
      delete older.externalIdentifierConfiguration;
      await tenants.query('UPDATE tenants SET configuration = ? WHERE id = ?', [
        JSON.stringify(older),
        id,
      ]);
      expect((await anonymous().retrievePasswordValidationRulesWithTenantId(id)).response).toEqual({
        passwordValidationRules: DEFAULT_RULES,
      });
      const tenant = (await test.client().retrieveTenant(id)).response.tenant!;
      expect(tenant.externalIdentifierConfiguration).toEqual({
        changePasswordIdTimeToLiveInSeconds: 600,
      });
      expect(
        await refusalCodes(
          manager(id).createUser(NONE, { user: { email: uniqueEmail(), password: 'short' } }),
        ),
      ).toEqual(['[tooShort]user.password']);
    });

    it('accepts a tenant read back from the API as a template', async () => {
      const template = (await test.client().retrieveTenant(strict)).response.tenant!;
      const copy: Tenant = { ...template, id: undefined, name: uniqueName('copy') };
      const created = await test.client().createTenant(NONE, { tenant: copy });
      expect(created.response.tenant!.passwordValidationRules).toEqual(
        template.passwordValidationRules,
      );
    });

    it('answers 404 with no body for an unknown tenant, 400 for an id that is no UUID', async () => {
      expectEmpty(
        await rawRequest(test.url, 'GET', `/api/tenant/password-validation-rules/${randomUUID()}`),
        404,
      );
      expect(
        json(await rawRequest(test.url, 'GET', '/api/tenant/password-validation-rules/nope')),
      ).toEqual({
        status: 400,
        body: {
          fieldErrors: {
            tenantId: [expect.objectContaining({ code: '[couldNotConvert]tenantId' })],
          },
        },
      });
    });

    it.each<[string, object, string[]]>([
      ['a zero minimum', { passwordValidationRules: { minLength: 0 } }, ['[invalid]']],
      ['a maximum over 256', { passwordValidationRules: { maxLength: 1000 } }, ['[invalid]']],
      [
        'a minimum over the maximum',
        { passwordValidationRules: { minLength: 40, maxLength: 30 } },
        ['[invalid]'],
      ],
      [
        'breach detection, which Portcullis has not',
        { passwordValidationRules: { breachDetection: { enabled: true } } },
        ['[invalid]'],
      ],
      [
        'an id that expires at once',
        { externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: 0 } },
        ['[invalid]'],
      ],
      [
        'an absurd id lifetime',
        { externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: 1e15 } },
        ['[couldNotConvert]'],
      ],
    ])('refuses a tenant with %s', async (_, settings, reasons) => {
      const codes = await refusalCodes(
        test.client().createTenant(NONE, {
          tenant: { name: uniqueName('bad'), ...settings },
        }),
      );
      expect(codes.map((code) => code.slice(0, code.indexOf(']') + 1))).toEqual(reasons);
      expect(codes[0]).toMatch(
        /\]tenant\.(passwordValidationRules|externalIdentifierConfiguration)\./,
      );
    });
  });

  describe('the rules hold wherever a password is set', () => {
    const strictCodes = [
      '[onlyAlpha]user.password',
      '[requireNumber]user.password',
      '[singleCase]user.password',
      '[tooShort]user.password',
    ];

    it('on create, with every rule broken reported at once', async () => {
      expect(
        await refusalCodes(
          manager(strict).createUser(NONE, { user: { email: uniqueEmail(), password: 'abc' } }),
        ),
      ).toEqual(strictCodes);
      const tooLong = await failure(
        manager(strict).createUser(NONE, {
          user: { email: uniqueEmail(), password: 'Aa1!'.repeat(6) },
        }),
      );
      expect(tooLong.exception).toEqual({
        fieldErrors: {
          'user.password': [
            {
              code: '[tooLong]user.password',
              message:
                'The [user.password] property is longer than the maximum of [20] characters.',
            },
          ],
        },
      });
      expect(
        (await manager(strict).createUser(NONE, { user: { email: uniqueEmail(), password: GOOD } }))
          .statusCode,
      ).toBe(200);
      // The same password is fine where the rules are FusionAuth's defaults.
      expect(
        (
          await manager(plain).createUser(NONE, {
            user: { email: uniqueEmail(), password: 'abcdefgh' },
          })
        ).statusCode,
      ).toBe(200);
    });

    it('on PUT and PATCH, naming the minimum of the tenant', async () => {
      const { id } = await user(strict);
      const put = await failure(
        manager(strict).updateUser(id, { user: { email: uniqueEmail(), password: 'Sh0rt!' } }),
      );
      expect(put.exception!.fieldErrors!['user.password']).toEqual([
        {
          code: '[tooShort]user.password',
          message: 'The [user.password] property is shorter than the minimum of [10] characters.',
        },
      ]);
      expect(
        await refusalCodes(manager(strict).patchUser(id, { user: { password: 'alllowercase1!' } })),
      ).toEqual(['[singleCase]user.password']);
      expect(await hasPassword(id, GOOD)).toBe(true);
    });

    it('on a registration that creates its user', async () => {
      const { applicationId } = await seedApplication(test, strict);
      expect(
        await refusalCodes(
          manager(strict).register(NONE, {
            registration: { applicationId },
            user: { email: uniqueEmail(), password: 'abcdefghijkl' },
          }),
        ),
      ).toEqual([
        '[onlyAlpha]user.password',
        '[requireNumber]user.password',
        '[singleCase]user.password',
      ]);
    });

    it('refuses a password of a megabyte on its length, before any hashing', async () => {
      const huge = 'A1!a'.repeat(250_000);
      const started = Date.now();
      const response = await post(
        '/api/user',
        JSON.stringify({ user: { email: uniqueEmail(), password: huge } }),
        { authorization: test.managerKey, 'x-fusionauth-tenantid': plain },
      );
      expect(json(response)).toEqual({
        status: 400,
        body: {
          fieldErrors: {
            'user.password': [expect.objectContaining({ code: '[tooLong]user.password' })],
          },
        },
      });
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('remembers previous passwords when the tenant asks, on the User and Change Password APIs', async () => {
      const tenantId = (
        await test.client().createTenant(NONE, {
          tenant: {
            name: uniqueName('remember'),
            passwordValidationRules: { rememberPreviousPasswords: { enabled: true, count: 2 } },
          },
        })
      ).response.tenant!.id!;
      const { id, email } = await user(tenantId, 'first password');
      expect(
        await refusalCodes(
          manager(tenantId).patchUser(id, { user: { password: 'first password' } }),
        ),
      ).toEqual(['[previouslyUsed]user.password']);
      await manager(tenantId).patchUser(id, { user: { password: 'second password' } });
      // Remembered: the current password and the one before it (two in all).
      for (const again of ['first password', 'second password']) {
        expect(
          await refusalCodes(
            manager(tenantId).changePasswordByIdentity({ loginId: email, password: again }),
          ),
        ).toEqual(['[previouslyUsed]password']);
      }
      await manager(tenantId).changePasswordByIdentity({
        loginId: email,
        password: 'third password',
      });
      // Three back is forgotten.
      await manager(tenantId).patchUser(id, { user: { password: 'first password' } });
      expect(await hasPassword(id, 'first password')).toBe(true);
    });
  });

  describe('the forgot password workflow', () => {
    it('answers a change password id, and keeps only its SHA-256 digest', async () => {
      const { id: userId, email } = await user(plain);
      const changePasswordId = await forgot(plain, { loginId: email });
      expect(changePasswordId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const rows = await ids().findBy({ userId });
      expect(rows).toEqual([
        expect.objectContaining({ idDigest: digestKey(changePasswordId), tenantId: plain }),
      ]);
      expect(rows[0].expirationInstant - rows[0].insertInstant).toBe(600_000);
      expect(JSON.stringify(rows)).not.toContain(changePasswordId);
    });

    it('answers 403 with no body when asked to send the email (FusionAuth without a template)', async () => {
      const { email } = await user(plain);
      for (const request of [
        { loginId: email },
        { loginId: email, sendForgotPasswordEmail: true },
        { loginId: email, sendForgotPasswordEmail: false, sendForgotPasswordMessage: true },
      ]) {
        expectEmpty(
          await post('/api/user/forgot-password', JSON.stringify(request), {
            authorization: test.managerKey,
            'x-fusionauth-tenantid': plain,
          }),
          403,
        );
      }
      // The newer flag alone says "no message" too.
      const response = await manager(plain).forgotPassword({
        loginId: email,
        sendForgotPasswordMessage: false,
      });
      test.watch.add(response.response.changePasswordId);
      expect(response.statusCode).toBe(200);
    });

    it('finds the user by username too, and honours loginIdTypes', async () => {
      const username = uniqueName('name');
      await createUser(test, plain, { username, email: undefined });
      expect(await forgot(plain, { loginId: username })).toBeTruthy();
      const refused = await failure(
        manager(plain).forgotPassword({
          loginId: username,
          loginIdTypes: ['email'],
          sendForgotPasswordEmail: false,
        }),
      );
      expect(refused).toEqual({ statusCode: 404, exception: undefined });
    });

    it('answers 404 with no body for an unknown or deactivated user', async () => {
      const { id, email } = await user(plain);
      await manager(plain).deactivateUser(id);
      for (const loginId of [email, uniqueEmail('nobody')]) {
        expectEmpty(
          await post(
            '/api/user/forgot-password',
            JSON.stringify({ loginId, sendForgotPasswordEmail: false }),
            { authorization: test.managerKey, 'x-fusionauth-tenantid': plain },
          ),
          404,
        );
      }
    });

    it("looks in the caller's tenant: another tenant's user is 404; none named among several is 400", async () => {
      const { email } = await user(strict);
      const scoped = (await createKey(test, { tenantId: plain })).key;
      const viaScoped = await failure(
        test.client(scoped).forgotPassword({ loginId: email, sendForgotPasswordEmail: false }),
      );
      expect(viaScoped.statusCode).toBe(404);
      const viaHeader = await failure(
        manager(plain).forgotPassword({ loginId: email, sendForgotPasswordEmail: false }),
      );
      expect(viaHeader.statusCode).toBe(404);
      expect(
        await refusalCodes(
          test.client().forgotPassword({ loginId: email, sendForgotPasswordEmail: false }),
        ),
      ).toEqual([TENANT_REQUIRED]);
      expect(await forgot(strict, { loginId: email })).toBeTruthy();
    });

    it('takes a chosen id, refuses a weak or clashing one', async () => {
      const first = await user(plain);
      const chosen = `chosen-${randomUUID()}`;
      test.watch.add(chosen);
      expect(await forgot(plain, { loginId: first.email, changePasswordId: chosen })).toBe(chosen);
      const second = await user(plain);
      const choose = (changePasswordId: string) =>
        refusalCodes(
          manager(plain).forgotPassword({
            loginId: second.email,
            changePasswordId,
            sendForgotPasswordEmail: false,
          }),
        );
      expect(await choose(chosen)).toEqual(['[duplicate]changePasswordId']);
      for (const weak of ['short', '../../api/api-key/x', 'has space in it 1234', 'x'.repeat(129)])
        expect(await choose(weak)).toEqual(['[invalid]changePasswordId']);
      expect(
        (await anonymous().changePassword(chosen, { password: 'chosen and changed' })).statusCode,
      ).toBe(200);
    });

    it('replaces an earlier id of the same user', async () => {
      const { email } = await user(plain);
      const earlier = await forgot(plain, { loginId: email });
      const later = await forgot(plain, { loginId: email });
      expect(
        (await failure(anonymous().changePassword(earlier, { password: GOOD }))).statusCode,
      ).toBe(404);
      expect(
        (await anonymous().changePassword(later, { password: 'the later one' })).statusCode,
      ).toBe(200);
    });

    it.each<[string, string | undefined, number, unknown]>([
      ['null', 'null', 400, '[couldNotParseJSON]'],
      ['an array', '[]', 400, '[couldNotParseJSON]'],
      ['a string', '"x"', 400, '[couldNotParseJSON]'],
      ['no body', undefined, 400, '[couldNotParseJSON]'],
      ['an empty object', '{}', 400, '[blank]loginId'],
      [
        'a login id of a kilobyte',
        JSON.stringify({ loginId: 'x'.repeat(1024) }),
        400,
        '[tooLong]loginId',
      ],
      ['a number for a login id', '{"loginId":7}', 400, '[couldNotConvert]loginId'],
      [
        'a state that is no object',
        '{"loginId":"a@b.co","state":"s"}',
        400,
        '[couldNotConvert]state',
      ],
    ])('refuses %s', async (_, body, status, code) => {
      const response = await post('/api/user/forgot-password', body, {
        authorization: test.managerKey,
        'x-fusionauth-tenantid': plain,
      });
      expect(response.status).toBe(status);
      expect(JSON.stringify(JSON.parse(response.body))).toContain(`"${code as string}`);
    });
  });

  describe('changing a password with a change password id', () => {
    it('changes it once, without any credential, and answers the state given', async () => {
      const { id, email } = await user(plain);
      const before = (await stored(id)).passwordLastUpdateInstant!;
      const changePasswordId = await forgot(plain, {
        loginId: email,
        state: { returnTo: '/home' },
      });
      const changed = await anonymous().changePassword(changePasswordId, {
        password: 'a fresh password',
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.response).toEqual({ state: { returnTo: '/home' } });
      expect(await hasPassword(id, 'a fresh password')).toBe(true);
      const retrieved = (await manager(plain).retrieveUser(id)).response.user!;
      expect(retrieved.passwordLastUpdateInstant).toBeGreaterThanOrEqual(before);
      expect(retrieved.passwordLastUpdateInstant).toBe(
        (await stored(id)).passwordLastUpdateInstant,
      );
      expect(await ids().findBy({ userId: id })).toEqual([]);
      const again = await failure(anonymous().changePassword(changePasswordId, { password: GOOD }));
      expect(again).toEqual({ statusCode: 404, exception: undefined });
      expect(await hasPassword(id, 'a fresh password')).toBe(true);
    });

    it('answers an empty JSON object when no state was given, and ends a required change', async () => {
      const { id, email } = await user(plain);
      await manager(plain).patchUser(id, { user: { passwordChangeRequired: true } });
      const changePasswordId = await forgot(plain, { loginId: email });
      const changed = await anonymous().changePassword(changePasswordId, {
        password: 'fresh again',
      });
      expect(changed.response).toEqual({});
      expect((await manager(plain).retrieveUser(id)).response.user!.passwordChangeRequired).toBe(
        false,
      );
    });

    it('holds the new password to the rules, and a refusal leaves the id usable', async () => {
      const { id, email } = await user(strict);
      const changePasswordId = await forgot(strict, { loginId: email });
      const weak = await failure(anonymous().changePassword(changePasswordId, { password: 'abc' }));
      expect(weak.statusCode).toBe(400);
      expect(Object.keys(weak.exception!.fieldErrors!)).toEqual(['password']);
      expect(weak.exception!.fieldErrors!.password.map((error) => error.code).sort()).toEqual([
        '[onlyAlpha]password',
        '[requireNumber]password',
        '[singleCase]password',
        '[tooShort]password',
      ]);
      expect(
        await refusalCodes(
          anonymous().changePassword(changePasswordId, { password: 'A1!a'.repeat(250_000) }),
        ),
      ).toEqual(['[tooLong]password']);
      expect(await refusalCodes(anonymous().changePassword(changePasswordId, {}))).toEqual([
        '[blank]password',
      ]);
      expect(
        (await anonymous().changePassword(changePasswordId, { password: 'N3w & proper' }))
          .statusCode,
      ).toBe(200);
      expect(await hasPassword(id, 'N3w & proper')).toBe(true);
    });

    it('checks the current password when one is given: wrong is 404, and the id survives', async () => {
      const { id, email } = await user(plain);
      const changePasswordId = await forgot(plain, { loginId: email });
      const wrong = await failure(
        anonymous().changePassword(changePasswordId, {
          currentPassword: 'not the password',
          password: 'whatever new',
        }),
      );
      expect(wrong).toEqual({ statusCode: 404, exception: undefined });
      const right = await anonymous().changePassword(changePasswordId, {
        currentPassword: GOOD,
        password: 'whatever new',
      });
      expect(right.statusCode).toBe(200);
      expect(await hasPassword(id, 'whatever new')).toBe(true);
    });

    it('lets exactly one of two concurrent requests with the same id through', async () => {
      for (let round = 0; round < 3; round++) {
        const { id, email } = await user(plain);
        const changePasswordId = await forgot(plain, { loginId: email });
        const attempts = await Promise.all(
          ['concurrent one', 'concurrent two'].map((password) =>
            anonymous()
              .changePassword(changePasswordId, { password })
              .then(
                (response) => ({ status: response.statusCode, password }),
                (error: { statusCode: number }) => ({ status: error.statusCode, password }),
              ),
          ),
        );
        expect(attempts.map((attempt) => attempt.status).sort()).toEqual([200, 404]);
        const winner = attempts.find((attempt) => attempt.status === 200)!;
        expect(await hasPassword(id, winner.password)).toBe(true);
      }
    });

    it('answers 404 with no body for an expired id', async () => {
      const { email } = await user(plain);
      const changePasswordId = await forgot(plain, { loginId: email });
      await ids().update(
        { idDigest: digestKey(changePasswordId) },
        { expirationInstant: Date.now() - 1 },
      );
      expectEmpty(
        await post(
          `/api/user/change-password/${changePasswordId}`,
          JSON.stringify({ password: GOOD }),
        ),
        404,
      );
    });

    it('expires ids after the tenant’s lifetime', async () => {
      const tenantId = (
        await test.client().createTenant(NONE, {
          tenant: {
            name: uniqueName('ttl'),
            externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: 1 },
          },
        })
      ).response.tenant!.id!;
      const { email } = await user(tenantId);
      const changePasswordId = await forgot(tenantId, { loginId: email });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(
        (await failure(anonymous().changePassword(changePasswordId, { password: GOOD })))
          .statusCode,
      ).toBe(404);
    });

    it('answers 404 with no body for unknown, huge and path-like ids, and for a deleted user; 414 past the router limit', async () => {
      const { id, email } = await user(plain);
      const changePasswordId = await forgot(plain, { loginId: email });
      await manager(plain).deleteUser(id);
      const body = JSON.stringify({ password: GOOD });
      for (const path of [
        `/api/user/change-password/${changePasswordId}`,
        `/api/user/change-password/${randomUUID()}`,
        `/api/user/change-password/..%2F..%2Fapi-key`,
        `/api/user/change-password/${encodeURIComponent(`${changePasswordId}/../x`)}`,
        `/api/user/change-password/%00`,
      ]) {
        expectEmpty(await post(path, body), 404);
      }
      expectEmpty(
        await post(
          `/api/user/change-password/${randomUUID()}`,
          JSON.stringify({ password: GOOD, changePasswordId: 'y'.repeat(10_240) }),
        ),
        404,
      );
      // Past the router's 200 characters a path segment is refused before any route runs.
      const huge = await post(`/api/user/change-password/${'x'.repeat(10_240)}`, body);
      expect(huge.status).toBe(414);
    });

    it('prefers the id in the body to the one in the path', async () => {
      const { id, email } = await user(plain);
      const changePasswordId = await forgot(plain, { loginId: email });
      const response = await post(
        `/api/user/change-password/${randomUUID()}`,
        JSON.stringify({ changePasswordId, password: 'from the body' }),
      );
      expect(json(response)).toEqual({ status: 200, body: {} });
      expect(await hasPassword(id, 'from the body')).toBe(true);
    });

    it.each([
      ['null', 'null'],
      ['an array', '[]'],
      ['a string', '"x"'],
      ['no body', undefined],
    ])('refuses %s as unparseable', async (_, body) => {
      expect(json(await post(`/api/user/change-password/${randomUUID()}`, body))).toEqual({
        status: 400,
        body: { generalErrors: [expect.objectContaining({ code: '[couldNotParseJSON]' })] },
      });
    });
  });

  describe('changing a password by login id, with an API key', () => {
    it('changes it and answers 200 with no body', async () => {
      const { id, email } = await user(plain);
      const changed = await manager(plain).changePasswordByIdentity({
        loginId: email,
        currentPassword: GOOD,
        password: 'by identity',
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.response).toBeUndefined();
      expect(await hasPassword(id, 'by identity')).toBe(true);
      // Without the current password: the key holder's reset.
      await manager(plain).changePasswordByIdentity({ loginId: email, password: 'reset by key' });
      expect(await hasPassword(id, 'reset by key')).toBe(true);
    });

    it("answers FusionAuth's 400s: wrong current password, unknown login, neither id nor login", async () => {
      const { id, email } = await user(plain);
      expect(
        await refusalCodes(
          manager(plain).changePasswordByIdentity({
            loginId: email,
            currentPassword: 'wrong password',
            password: 'never set',
          }),
        ),
      ).toEqual(['[invalid]currentPassword']);
      expect(
        await refusalCodes(
          manager(plain).changePasswordByIdentity({
            loginId: uniqueEmail(),
            password: 'never set',
          }),
        ),
      ).toEqual(['[invalid]loginId']);
      expect(
        await refusalCodes(manager(plain).changePasswordByIdentity({ password: 'never set' })),
      ).toEqual(['[invalid]']);
      expect(
        await refusalCodes(manager(plain).changePasswordByIdentity({ loginId: email })),
      ).toEqual(['[blank]password']);
      expect(await hasPassword(id, GOOD)).toBe(true);
    });

    it("holds the password to the user's tenant's rules", async () => {
      const { email } = await user(strict);
      expect(
        await refusalCodes(
          manager(strict).changePasswordByIdentity({ loginId: email, password: 'weakpassword' }),
        ),
      ).toEqual(['[requireNumber]password', '[singleCase]password', '[onlyAlpha]password'].sort());
    });

    it("cannot reach another tenant's user, and needs a tenant among several", async () => {
      const { id, email } = await user(strict);
      const scoped = (await createKey(test, { tenantId: plain })).key;
      expect(
        await refusalCodes(
          test.client(scoped).changePasswordByIdentity({ loginId: email, password: 'not mine' }),
        ),
      ).toEqual(['[invalid]loginId']);
      expect(
        await refusalCodes(
          test.client().changePasswordByIdentity({ loginId: email, password: 'not mine' }),
        ),
      ).toEqual([TENANT_REQUIRED]);
      expect(await hasPassword(id, GOOD)).toBe(true);
    });

    it('uses a change password id in the body first, within the caller’s tenant', async () => {
      const { id, email } = await user(strict);
      const changePasswordId = await forgot(strict, { loginId: email });
      const scoped = (await createKey(test, { tenantId: plain })).key;
      expect(
        (
          await failure(
            test.client(scoped).changePasswordByIdentity({
              changePasswordId,
              password: 'Not m1ne at all',
            }),
          )
        ).statusCode,
      ).toBe(404);
      const changed = await manager(strict).changePasswordByIdentity({
        changePasswordId,
        loginId: uniqueEmail('ignored'),
        password: 'By 1d in body',
      });
      expect(changed.response).toEqual({});
      expect(await hasPassword(id, 'By 1d in body')).toBe(true);
    });

    it('refuses a request without a key, before reading it', async () => {
      expectEmpty(
        await post('/api/user/change-password', '{"changePasswordId":"x","password":"y"}'),
        401,
      );
    });
  });

  describe("a user's own change of password (the service the JWT form will call)", () => {
    it('needs the current password (404 otherwise), holds the new one to the rules', async () => {
      const passwords = test.app.get(PasswordService);
      const { id } = await user(strict);
      const outcome = (promise: Promise<void>) =>
        promise.then(
          () => 200,
          (error: { status: number }) => error.status,
        );
      expect(await outcome(passwords.changePassword(id, 'wrong one', 'N3w & proper'))).toBe(404);
      expect(await outcome(passwords.changePassword(id, GOOD, 'weak'))).toBe(400);
      expect(await outcome(passwords.changePassword(randomUUID(), GOOD, 'N3w & proper'))).toBe(404);
      expect(await outcome(passwords.changePassword(id, GOOD, 'N3w & proper'))).toBe(200);
      expect(await hasPassword(id, 'N3w & proper')).toBe(true);
    });
  });

  it('never writes a password or a change password id to the log', () => {
    expect(test.watch.logLines().length).toBeGreaterThan(0);
    expect(test.watch.leaks()).toEqual([]);
  });
});

import FusionAuthClient from '@fusionauth/typescript-client';
import { dialects, failure, startApp, TestApp } from '../support/app';
import { createUser, PASSWORD, uniqueEmail } from '../support/fixtures';

const NONE = null as unknown as string;

/** `POST /api/user/change-password` with a user JWT: the client's `changePasswordUsingJWT`. */
describe.each(dialects())('changing one’s own password with a JWT (%s)', (dialect) => {
  let test: TestApp;
  let anonymous: FusionAuthClient;

  beforeAll(async () => {
    test = await startApp(dialect);
    anonymous = new FusionAuthClient(NONE, test.url);
  });
  afterAll(() => test?.close());

  async function loggedIn(): Promise<{ userId: string; email: string; token: string }> {
    const email = uniqueEmail('own');
    const userId = await createUser(test, test.defaultTenantId, { email });
    const login = await test.client().login({ loginId: email, password: PASSWORD });
    return { userId, email, token: login.response.token! };
  }

  it('changes the token’s own user’s password, which then logs in', async () => {
    const { email, token } = await loggedIn();
    const next = 'a brand new passphrase';
    test.watch.add(next);
    const changed = await anonymous.changePasswordUsingJWT(token, {
      currentPassword: PASSWORD,
      password: next,
    });
    expect(changed.statusCode).toBe(200);
    expect((await test.client().login({ loginId: email, password: next })).statusCode).toBe(200);
    const old = await failure(test.client().login({ loginId: email, password: PASSWORD }));
    expect(old.statusCode).toBe(404);
  });

  it('needs the current password, and a new one the rules accept', async () => {
    const { token } = await loggedIn();
    const missing = await failure(
      anonymous.changePasswordUsingJWT(token, { password: 'long enough please' }),
    );
    expect(missing.statusCode).toBe(400);
    expect(Object.keys(missing.exception?.fieldErrors ?? {})).toEqual(['currentPassword']);
    const wrong = await failure(
      anonymous.changePasswordUsingJWT(token, {
        currentPassword: 'not the password',
        password: 'long enough please',
      }),
    );
    expect({ status: wrong.statusCode, body: wrong.exception }).toEqual({
      status: 404,
      body: undefined,
    });
    const weak = await failure(
      anonymous.changePasswordUsingJWT(token, { currentPassword: PASSWORD, password: 'short' }),
    );
    expect(weak.statusCode).toBe(400);
  });

  it('changes only its own user, whatever login id the body names', async () => {
    const victim = await loggedIn();
    const { token, email } = await loggedIn();
    const next = 'only mine is changed';
    test.watch.add(next);
    const changed = await anonymous.changePasswordUsingJWT(token, {
      loginId: victim.email,
      currentPassword: PASSWORD,
      password: next,
    });
    expect(changed.statusCode).toBe(200);
    expect(
      (await test.client().login({ loginId: victim.email, password: PASSWORD })).statusCode,
    ).toBe(200);
    expect((await test.client().login({ loginId: email, password: next })).statusCode).toBe(200);
  });

  it('refuses a bad token with an empty 401', async () => {
    const refused = await failure(
      anonymous.changePasswordUsingJWT('x.y.z', {
        currentPassword: PASSWORD,
        password: 'long enough please',
      }),
    );
    expect({ status: refused.statusCode, body: refused.exception }).toEqual({
      status: 401,
      body: undefined,
    });
  });
});

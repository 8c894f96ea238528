import FusionAuthClient, { GrantType } from '@fusionauth/typescript-client';
import { randomUUID } from 'node:crypto';
import { dialects, failure, startApp, TestApp } from '../support/app';

/**
 * What the FusionAuth TypeScript client's own test suite does, step by step, against
 * Portcullis: a tenant copied from the Default one, an application with the password grant,
 * a user, a patch, an error, a failed login, and an OAuth password login whose token then
 * validates. A program written against FusionAuth in the same way works here.
 */
describe.each(dialects())("the client's own journey (%s)", (dialect) => {
  let test: TestApp;
  let client: FusionAuthClient;
  const tenantId = randomUUID();
  const applicationId = randomUUID();
  const userId = randomUUID();
  const email = `journey-${randomUUID()}@example.com`;
  // The client's suite uses "password", a word log lines hold as itself: a distinctive one here.
  const password = 'journey password 7d1f';

  beforeAll(async () => {
    test = await startApp(dialect);
    client = test.client();
    const tenants = (await client.retrieveTenants()).response.tenants!;
    const template = { ...tenants.find((tenant) => tenant.name === 'Default')! };
    delete template.id;
    template.name = `Journey tenant ${tenantId}`;
    expect((await client.createTenant(tenantId, { tenant: template })).statusCode).toBe(200);
    client.setTenantId(tenantId);
    const created = await client.createApplication(applicationId, {
      application: {
        name: 'Journey application',
        oauthConfiguration: {
          enabledGrants: [GrantType.password, GrantType.authorization_code],
          authorizedRedirectURLs: ['http://localhost'],
        },
      },
    });
    expect(created.statusCode).toBe(200);
    await client.createUser(userId, { user: { email, password } });
  });
  afterAll(() => test?.close());

  it('patches the application', async () => {
    const patched = await client.patchApplication(applicationId, {
      application: {
        name: 'Journey application, patched',
        loginConfiguration: { allowTokenRefresh: true },
      },
    });
    expect(patched.response.application!.loginConfiguration!.allowTokenRefresh).toBe(true);
  });

  it('answers a bad request with a 4xx the client reports', async () => {
    const refused = await failure(
      client.createApplication(null as unknown as string, {
        application: { name: '', verifyRegistration: true },
      }),
    );
    expect(refused.statusCode).toBe(400);
  });

  it('answers the login of a user that does not exist with an empty 404', async () => {
    const refused = await failure(client.login({ loginId: 'doesntexist', password: 'pass' }));
    expect({ status: refused.statusCode, body: refused.exception }).toEqual({
      status: 404,
      body: undefined,
    });
  });

  it('logs in through OAuth with the password grant, and the token validates', async () => {
    const application = (await client.retrieveApplication(applicationId)).response.application!;
    const { clientId, clientSecret } = application.oauthConfiguration!;
    const granted = await client.exchangeUserCredentialsForAccessToken(
      email,
      password,
      clientId!,
      clientSecret!,
      'email openid',
      null as unknown as string,
    );
    expect(granted.statusCode).toBe(200);
    const token = granted.response.access_token!;
    expect(granted.response).toMatchObject({ token_type: 'Bearer', userId });
    const validated = await new FusionAuthClient(null as unknown as string, test.url).validateJWT(
      token,
    );
    expect(validated.response.jwt).toMatchObject({
      sub: userId,
      tid: tenantId,
      aud: applicationId,
    });
  });
});

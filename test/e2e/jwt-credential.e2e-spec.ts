import { dialects, startApp, TestApp } from '../support/app';
import { createUser } from '../support/fixtures';
import { ForgeryKit, forgeryKit } from '../support/tokens';

describe.each(dialects())('user JWT as a credential (%s)', (dialect) => {
  let test: TestApp;
  let kit: ForgeryKit;
  let userId: string;

  beforeAll(async () => {
    test = await startApp(dialect);
    kit = await forgeryKit(test);
    userId = await createUser(test, kit.tenantId);
  });
  afterAll(() => test?.close());

  const validate = (headers: Record<string, string>) =>
    test.http('/api/jwt/validate', { key: null, headers });

  it('validates a good token sent as Bearer, as JWT and as the access_token cookie', async () => {
    const token = await kit.sign(userId);
    for (const headers of <Record<string, string>[]>[
      { authorization: `Bearer ${token}` },
      { authorization: `JWT ${token}` },
      { cookie: `other=1; access_token=${token}` },
    ]) {
      const response = await validate(headers);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { jwt: Record<string, unknown> };
      expect(body.jwt).toMatchObject({ sub: userId, tid: kit.tenantId, iss: kit.issuer });
    }
    const client = await test.client(null).validateJWT(token);
    expect(client.response.jwt?.sub).toBe(userId);
  });

  it('refuses a deactivated user at once, and takes it back when reactivated', async () => {
    const token = await kit.sign(userId);
    expect((await validate({ authorization: `Bearer ${token}` })).status).toBe(200);
    await test.client(test.managerKey, kit.tenantId).deactivateUser(userId);
    expect((await validate({ authorization: `Bearer ${token}` })).status).toBe(401);
    await test.client(test.managerKey, kit.tenantId).reactivateUser(userId);
    expect((await validate({ authorization: `Bearer ${token}` })).status).toBe(200);
  });
});

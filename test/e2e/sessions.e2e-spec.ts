import { RefreshTokenService } from '../../src/refresh-token/refresh-token.service';
import { DEFAULT_TENANT_CONFIGURATION } from '../../src/tenant/tenant.dto';
import { dialects, startApp, TestApp } from '../support/app';
import { createUser, seedApplication } from '../support/fixtures';
import { ForgeryKit, forgeryKit } from '../support/tokens';

/**
 * An access token names its session (`sid`, the refresh token's id). Whatever ends the
 * session ends the token on the spot: revoking it, unregistering the user from the
 * application, deleting the application, the user or the tenant.
 */
describe.each(dialects())('access tokens and their sessions (%s)', (dialect) => {
  let test: TestApp;
  let kit: ForgeryKit;

  beforeAll(async () => {
    test = await startApp(dialect);
    kit = await forgeryKit(test);
  });
  afterAll(() => test?.close());

  const status = async (token: string) =>
    (
      await test.http('/api/jwt/validate', {
        key: null,
        headers: { authorization: `Bearer ${token}` },
      })
    ).status;

  /** A registered user with a session in a new application, and a token of that session. */
  async function session() {
    const userId = await createUser(test, kit.tenantId);
    const { applicationId } = await seedApplication(test, kit.tenantId);
    const client = test.client(test.managerKey, kit.tenantId);
    await client.register(userId, { registration: { applicationId } });
    const issued = await test.app
      .get(RefreshTokenService)
      .issue(
        { userId, tenantId: kit.tenantId, applicationId },
        DEFAULT_TENANT_CONFIGURATION.jwtConfiguration,
      );
    const token = await kit.sign(userId, {
      sid: issued.entity.id,
      aud: applicationId,
      applicationId,
    });
    expect(await status(token)).toBe(200);
    return { userId, applicationId, client, sessionId: issued.entity.id, token };
  }

  it('ends with its refresh token', async () => {
    const { sessionId, token } = await session();
    await test.app.get(RefreshTokenService).revoke({ tenantId: kit.tenantId, id: sessionId });
    expect(await status(token)).toBe(401);
  });

  it('ends when the user is unregistered from the application', async () => {
    const { userId, applicationId, client, token } = await session();
    await client.deleteRegistration(userId, applicationId);
    expect(await status(token)).toBe(401);
  });

  it('ends when the application is deleted', async () => {
    const { applicationId, client, token } = await session();
    await client.deleteApplication(applicationId);
    expect(await status(token)).toBe(401);
  });

  it('ends when the user is deleted, and a token of another session of another user stands', async () => {
    const first = await session();
    const second = await session();
    await first.client.deleteUser(first.userId);
    expect(await status(first.token)).toBe(401);
    expect(await status(second.token)).toBe(200);
  });

  it('ends when the tenant is deleted', async () => {
    const other = await forgeryKit(test);
    const userId = await createUser(test, other.tenantId);
    const token = await other.sign(userId);
    expect(await status(token)).toBe(200);
    await test.client().deleteTenant(other.tenantId);
    expect(await status(token)).toBe(401);
  });
});

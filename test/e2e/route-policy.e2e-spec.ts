// Deny by default: a route that declares no policy is refused to every caller, the
// key-manager super key included, while a path with no route is still a 404.
import { startApp, TestApp } from '../support/app';

describe('a route without a policy', () => {
  let app: TestApp;
  let handlerRuns = 0;

  beforeAll(async () => {
    app = await startApp('sqlite', {
      configure: (fastify) =>
        fastify.get('/api/undeclared', () => {
          handlerRuns++;
          return { reached: true };
        }),
    });
  });
  afterAll(() => app.close());

  it('answers an empty 401 to a super key, to no credential and to a wrong one', async () => {
    for (const key of [app.managerKey, null, 'not-a-key-at-all-0123456789']) {
      const response = await app.http('/api/undeclared', { key });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
    const head = await app.http('/api/undeclared', { method: 'HEAD' });
    expect(head.status).toBe(401);
    expect(handlerRuns).toBe(0);
  });

  it('leaves a path with no route to the 404', async () => {
    const response = await app.http('/api/no-such-route');
    expect(response.status).toBe(404);
  });

  it('lets a declared route through', async () => {
    const response = await app.http('/api/system/version');
    expect(response.status).toBe(200);
  });
});

import { randomUUID } from 'node:crypto';
import { RefreshTokenService } from '../../../src/refresh-token/refresh-token.service';
import { DEFAULT_TENANT_CONFIGURATION } from '../../../src/tenant/tenant.dto';
import type { TestApp } from '../app';
import { createUser, seedApplication } from '../fixtures';
import { SecuredRoute } from '../secured-route';

const refresh = '/api/jwt/refresh';
const vend = '/api/jwt/vend';

/** A session of a new user of the tenant: its refresh token, straight from the service. */
export async function seedSession(
  test: TestApp,
  tenantId: string,
): Promise<{ userId: string; applicationId: string; tokenId: string; token: string }> {
  const userId = await createUser(test, tenantId);
  const { applicationId } = await seedApplication(test, tenantId);
  const issued = await test.app
    .get(RefreshTokenService)
    .issue({ userId, tenantId, applicationId }, DEFAULT_TENANT_CONFIGURATION.jwtConfiguration);
  test.watch.add(issued.token);
  return { userId, applicationId, tokenId: issued.entity.id, token: issued.token };
}

const session: SecuredRoute['owned'] = async (test, tenantId) => {
  const { tokenId, userId } = await seedSession(test, tenantId);
  return { tokenId, userId };
};

export const JWT_ROUTES: SecuredRoute[] = [
  { method: 'GET', path: refresh, endpoint: refresh, query: `?userId=${randomUUID()}` },
  { method: 'GET', path: `${refresh}/:tokenId`, endpoint: refresh, owned: session },
  { method: 'DELETE', path: refresh, endpoint: refresh, query: `?userId=${randomUUID()}` },
  { method: 'DELETE', path: `${refresh}/:tokenId`, endpoint: refresh, owned: session },
  {
    method: 'POST',
    path: vend,
    endpoint: vend,
    body: () => ({ claims: { sub: randomUUID(), name: 'vended' }, timeToLiveInSeconds: 60 }),
  },
];

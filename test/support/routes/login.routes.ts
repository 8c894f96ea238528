import { randomUUID } from 'node:crypto';
import { PASSWORD, createUser, seedApplication } from '../fixtures';
import { SecuredRoute } from '../secured-route';

const endpoint = '/api/login';

/** A login for a login id no one has: 404 once admitted. */
const body = () => ({ loginId: `nobody-${randomUUID()}@example.com`, password: PASSWORD });

export const LOGIN_ROUTES: SecuredRoute[] = [
  // Without a credential, a login needs its application or tenant to waive the key; the
  // suite names neither while several tenants exist, so the answer is the empty 401.
  {
    method: 'POST',
    path: endpoint,
    endpoint,
    body,
    optional: true,
    anonymous: { status: 401 },
    propertyFuzz: false,
  },
  {
    method: 'PUT',
    path: '/api/login/:userId',
    endpoint,
    owned: async (test, tenantId) => ({ userId: await createUser(test, tenantId) }),
  },
  {
    method: 'PUT',
    path: '/api/login/:userId/:applicationId',
    endpoint,
    owned: async (test, tenantId) => ({
      userId: await createUser(test, tenantId),
      applicationId: (await seedApplication(test, tenantId)).applicationId,
    }),
  },
];

import { randomUUID } from 'node:crypto';
import { SecuredRoute } from '../secured-route';
import { createUser, PASSWORD, seedApplication, uniqueEmail } from '../fixtures';

const endpoint = '/api/user/registration';
const ownedUser: SecuredRoute['owned'] = async (test, tenantId) => ({
  userId: await createUser(test, tenantId),
});
/** A user of the tenant registered to an application of the tenant. */
const ownedRegistration: SecuredRoute['owned'] = async (test, tenantId) => {
  const { applicationId } = await seedApplication(test, tenantId);
  const userId = await createUser(test, tenantId);
  await test
    .client(test.managerKey, tenantId)
    .register(userId, { registration: { applicationId } });
  return { userId, applicationId };
};
const body = () => ({ registration: { applicationId: randomUUID() } });

export const REGISTRATION_ROUTES: SecuredRoute[] = [
  {
    method: 'POST',
    path: '/api/user/registration',
    endpoint,
    body: () => ({ ...body(), user: { email: uniqueEmail('security'), password: PASSWORD } }),
  },
  { method: 'POST', path: '/api/user/registration/:userId', endpoint, owned: ownedUser, body },
  {
    method: 'GET',
    path: '/api/user/registration/:userId/:applicationId',
    endpoint,
    owned: ownedRegistration,
  },
  { method: 'PUT', path: '/api/user/registration/:userId', endpoint, owned: ownedUser, body },
  { method: 'PATCH', path: '/api/user/registration/:userId', endpoint, owned: ownedUser, body },
  {
    method: 'DELETE',
    path: '/api/user/registration/:userId/:applicationId',
    endpoint,
    owned: ownedRegistration,
  },
];

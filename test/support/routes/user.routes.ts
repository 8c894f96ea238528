import { SecuredRoute } from '../secured-route';
import { createUser, PASSWORD, uniqueEmail } from '../fixtures';

const endpoint = '/api/user';
const search = '/api/user/search';
const owned: SecuredRoute['owned'] = async (test, tenantId) => ({
  userId: await createUser(test, tenantId),
});
const body = () => ({ user: { email: uniqueEmail('security'), password: PASSWORD } });

export const USER_ROUTES: SecuredRoute[] = [
  { method: 'POST', path: '/api/user', endpoint, body },
  { method: 'POST', path: '/api/user/:userId', endpoint, body },
  { method: 'GET', path: '/api/user', endpoint, query: '?email=nobody%40example.com' },
  { method: 'GET', path: '/api/user/:userId', endpoint, owned },
  { method: 'PUT', path: '/api/user/:userId', endpoint, owned, body },
  { method: 'PATCH', path: '/api/user/:userId', endpoint, owned, body },
  { method: 'DELETE', path: '/api/user/:userId', endpoint, owned },
  { method: 'GET', path: '/api/user/search', endpoint: search, query: '?queryString=*' },
  {
    method: 'POST',
    path: '/api/user/search',
    endpoint: search,
    body: () => ({ search: { queryString: '*' } }),
  },
];

import { randomUUID } from 'node:crypto';
import { seedApplication } from '../fixtures';
import { SecuredRoute } from '../secured-route';

type Owned = NonNullable<SecuredRoute['owned']>;

const endpoint = '/api/application';
const roleEndpoint = '/api/application/role';
const search = '/api/application/search';
const application: Owned = async (test, tenantId) => {
  const { applicationId } = await seedApplication(test, tenantId);
  return { applicationId };
};
const role: Owned = (test, tenantId) => seedApplication(test, tenantId);
const body = () => ({ application: { name: `security-${randomUUID()}` } });
const roleBody = () => ({ role: { name: 'admin', description: 'security suite' } });

export const APPLICATION_ROUTES: SecuredRoute[] = [
  { method: 'POST', path: '/api/application', endpoint, body },
  { method: 'POST', path: '/api/application/:applicationId', endpoint, body },
  { method: 'GET', path: '/api/application', endpoint },
  { method: 'GET', path: '/api/application/:applicationId', endpoint, owned: application },
  { method: 'PUT', path: '/api/application/:applicationId', endpoint, owned: application, body },
  { method: 'PATCH', path: '/api/application/:applicationId', endpoint, owned: application, body },
  { method: 'DELETE', path: '/api/application/:applicationId', endpoint, owned: application },
  { method: 'GET', path: '/api/application/search', endpoint: search },
  { method: 'POST', path: '/api/application/search', endpoint: search, body: () => ({}) },
  {
    method: 'POST',
    path: '/api/application/:applicationId/role',
    endpoint: roleEndpoint,
    owned: application,
    body: () => ({ role: { name: `security-${randomUUID()}` } }),
  },
  {
    method: 'POST',
    path: '/api/application/:applicationId/role/:roleId',
    endpoint: roleEndpoint,
    owned: application,
    body: () => ({ role: { name: `security-${randomUUID()}` } }),
  },
  {
    method: 'PUT',
    path: '/api/application/:applicationId/role/:roleId',
    endpoint: roleEndpoint,
    owned: role,
    body: roleBody,
  },
  {
    method: 'PATCH',
    path: '/api/application/:applicationId/role/:roleId',
    endpoint: roleEndpoint,
    owned: role,
    body: roleBody,
  },
  {
    method: 'DELETE',
    path: '/api/application/:applicationId/role/:roleId',
    endpoint: roleEndpoint,
    owned: role,
  },
  {
    method: 'DELETE',
    path: '/api/application/:applicationId/role',
    endpoint: roleEndpoint,
    owned: application,
    query: '?name=admin',
  },
];

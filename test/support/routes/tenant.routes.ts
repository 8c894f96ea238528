import { randomUUID } from 'node:crypto';
import { createTenant } from '../app';
import { SecuredRoute } from '../secured-route';

const endpoint = '/api/tenant';
const owned = (_: unknown, tenantId: string) => Promise.resolve({ tenantId });
/**
 * A tenant of its own to delete: deleting the suite's tenant would take every object
 * the routes after this one make in it.
 */
const disposable: SecuredRoute['owned'] = async (test) => ({ tenantId: await createTenant(test) });
const body = () => ({ tenant: { name: `security-${randomUUID()}` } });

export const TENANT_ROUTES: SecuredRoute[] = [
  { method: 'POST', path: '/api/tenant', endpoint, body },
  { method: 'POST', path: '/api/tenant/:tenantId', endpoint, body },
  { method: 'GET', path: '/api/tenant', endpoint },
  { method: 'GET', path: '/api/tenant/:tenantId', endpoint, owned },
  { method: 'PUT', path: '/api/tenant/:tenantId', endpoint, owned, body },
  { method: 'PATCH', path: '/api/tenant/:tenantId', endpoint, owned, body },
  // Tenant-scoped keys cannot delete tenants at all, their own included.
  {
    method: 'DELETE',
    path: '/api/tenant/:tenantId',
    endpoint,
    owned: disposable,
    foreignStatus: 401,
  },
  { method: 'GET', path: '/api/tenant/search', endpoint: '/api/tenant/search', globalOnly: true },
  {
    method: 'POST',
    path: '/api/tenant/search',
    endpoint: '/api/tenant/search',
    globalOnly: true,
    body: () => ({ search: {} }),
  },
];

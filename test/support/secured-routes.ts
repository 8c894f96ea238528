/**
 * Every secured route, with what the shared security suite needs to call it. Later
 * domains add their rows here; the suite fails when a secured route is missing.
 */
export interface SecuredRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Nest-style path; `:param` segments are filled by the suite. */
  path: string;
  /** FusionAuth's permission endpoint, or 'keyManager' for the API Key API. */
  endpoint: string;
  globalOnly?: true;
  /** The `:param` names an object owned by a tenant: which kind, so the suite can make one in another tenant. */
  owned?: 'tenant' | 'apiKey';
}

export const SECURED_ROUTES: SecuredRoute[] = [
  { method: 'POST', path: '/api/api-key', endpoint: 'keyManager' },
  { method: 'POST', path: '/api/api-key/:keyId', endpoint: 'keyManager' },
  { method: 'GET', path: '/api/api-key', endpoint: 'keyManager' },
  { method: 'GET', path: '/api/api-key/:keyId', endpoint: 'keyManager', owned: 'apiKey' },
  { method: 'PUT', path: '/api/api-key/:keyId', endpoint: 'keyManager', owned: 'apiKey' },
  { method: 'PATCH', path: '/api/api-key/:keyId', endpoint: 'keyManager', owned: 'apiKey' },
  { method: 'DELETE', path: '/api/api-key/:keyId', endpoint: 'keyManager', owned: 'apiKey' },
  { method: 'POST', path: '/api/tenant', endpoint: '/api/tenant' },
  { method: 'POST', path: '/api/tenant/:tenantId', endpoint: '/api/tenant' },
  { method: 'GET', path: '/api/tenant', endpoint: '/api/tenant' },
  { method: 'GET', path: '/api/tenant/:tenantId', endpoint: '/api/tenant', owned: 'tenant' },
  { method: 'PUT', path: '/api/tenant/:tenantId', endpoint: '/api/tenant', owned: 'tenant' },
  { method: 'PATCH', path: '/api/tenant/:tenantId', endpoint: '/api/tenant', owned: 'tenant' },
  { method: 'DELETE', path: '/api/tenant/:tenantId', endpoint: '/api/tenant', owned: 'tenant' },
  { method: 'GET', path: '/api/tenant/search', endpoint: '/api/tenant/search', globalOnly: true },
  { method: 'POST', path: '/api/tenant/search', endpoint: '/api/tenant/search', globalOnly: true },
];

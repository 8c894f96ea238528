import { createKey } from '../app';
import { SecuredRoute } from '../secured-route';

const key = 'keyManager';
const owned = async (
  test: Parameters<NonNullable<SecuredRoute['owned']>>[0],
  tenantId: string,
) => ({
  keyId: (await createKey(test, { tenantId })).id,
});
const body = () => ({ apiKey: {} });

export const API_KEY_ROUTES: SecuredRoute[] = [
  { method: 'POST', path: '/api/api-key', endpoint: key, body },
  { method: 'POST', path: '/api/api-key/:keyId', endpoint: key, body },
  { method: 'GET', path: '/api/api-key', endpoint: key },
  { method: 'GET', path: '/api/api-key/audit', endpoint: key },
  { method: 'GET', path: '/api/api-key/:keyId', endpoint: key, owned },
  { method: 'PUT', path: '/api/api-key/:keyId', endpoint: key, owned, body },
  { method: 'PATCH', path: '/api/api-key/:keyId', endpoint: key, owned, body },
  { method: 'DELETE', path: '/api/api-key/:keyId', endpoint: key, owned },
  // No body is a request too (both defaults); its own spec sends the bad ones.
  { method: 'POST', path: '/api/api-key/:keyId/rotate', endpoint: key, owned },
];

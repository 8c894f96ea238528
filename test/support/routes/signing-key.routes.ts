import { KeyAlgorithm } from '@fusionauth/typescript-client';
import { randomUUID } from 'node:crypto';
import { SecuredRoute } from '../secured-route';

const endpoint = '/api/key';
const generate = '/api/key/generate';
const importing = '/api/key/import';
const search = '/api/key/search';
// HMAC keys: generating one costs nothing, so the shared suites can make many.
const body = () => ({ key: { name: `security-${randomUUID()}`, algorithm: KeyAlgorithm.HS256 } });
const importBody = () => ({
  key: {
    name: `security-${randomUUID()}`,
    algorithm: KeyAlgorithm.HS256,
    secret: randomUUID() + randomUUID(),
  },
});
/** Keys belong to no tenant: the key is made globally, whichever tenant is asked for. */
const owned: SecuredRoute['owned'] = async (test) => {
  const created = await test.client().generateKey(null as unknown as string, body());
  return { keyId: created.response.key!.id! };
};
const path = '/api/key/:keyId';
// Global-only: a tenant-scoped key is refused even for a key that exists.
const byId = { endpoint, globalOnly: true, owned, foreignStatus: 401 } as const;

export const SIGNING_KEY_ROUTES: SecuredRoute[] = [
  { method: 'GET', path: '/api/key', endpoint, globalOnly: true },
  { method: 'GET', path, ...byId },
  { method: 'PUT', path, ...byId, body },
  { method: 'DELETE', path, ...byId },
  { method: 'POST', path: '/api/key/generate', endpoint: generate, globalOnly: true, body },
  { method: 'POST', path: '/api/key/generate/:keyId', endpoint: generate, globalOnly: true, body },
  {
    method: 'POST',
    path: '/api/key/import',
    endpoint: importing,
    globalOnly: true,
    body: importBody,
  },
  {
    method: 'POST',
    path: '/api/key/import/:keyId',
    endpoint: importing,
    globalOnly: true,
    body: importBody,
  },
  { method: 'GET', path: '/api/key/search', endpoint: search, globalOnly: true },
  {
    method: 'POST',
    path: '/api/key/search',
    endpoint: search,
    globalOnly: true,
    body: () => ({ search: {} }),
  },
];

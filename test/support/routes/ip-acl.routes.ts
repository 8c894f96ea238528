import { IPAccessControlEntryAction } from '@fusionauth/typescript-client';
import { randomUUID } from 'node:crypto';
import { SecuredRoute } from '../secured-route';

const endpoint = '/api/ip-acl';
const search = '/api/ip-acl/search';
const body = () => ({
  ipAccessControlList: {
    name: `security-${randomUUID()}`,
    entries: [{ action: IPAccessControlEntryAction.Allow, startIPAddress: '*' }],
  },
});
/** IP ACLs belong to no tenant: the list is made globally, whichever tenant is asked for. */
const owned: SecuredRoute['owned'] = async (test) => {
  const created = await test.client().createIPAccessControlList(null as unknown as string, body());
  return { ipAccessControlListId: created.response.ipAccessControlList!.id! };
};
const path = '/api/ip-acl/:ipAccessControlListId';
// Global-only: a tenant-scoped key is refused even for a list that exists.
const byId = { endpoint, globalOnly: true, owned, foreignStatus: 401 } as const;

export const IP_ACL_ROUTES: SecuredRoute[] = [
  { method: 'POST', path: '/api/ip-acl', endpoint, globalOnly: true, body },
  { method: 'POST', path, endpoint, globalOnly: true, body },
  { method: 'GET', path, ...byId },
  { method: 'PUT', path, ...byId, body },
  { method: 'PATCH', path, ...byId, body },
  { method: 'DELETE', path, ...byId },
  { method: 'GET', path: '/api/ip-acl/search', endpoint: search, globalOnly: true },
  {
    method: 'POST',
    path: '/api/ip-acl/search',
    endpoint: search,
    globalOnly: true,
    body: () => ({ search: {} }),
  },
];

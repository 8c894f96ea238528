import { randomUUID } from 'node:crypto';
import { seedGroup, seedMember } from '../fixtures';
import { SecuredRoute } from '../secured-route';

type Owned = NonNullable<SecuredRoute['owned']>;

const endpoint = '/api/group';
const member = '/api/group/member';
const search = '/api/group/search';
const memberSearch = '/api/group/member/search';
const group: Owned = async (test, tenantId) => ({ groupId: await seedGroup(test, tenantId) });
const membership: Owned = async (test, tenantId) => {
  const { memberId } = await seedMember(test, tenantId);
  return { memberId };
};
const body = () => ({ group: { name: `security-${randomUUID()}` } });
const members = () => ({ members: { [randomUUID()]: [{ userId: randomUUID() }] } });

export const GROUP_ROUTES: SecuredRoute[] = [
  { method: 'POST', path: '/api/group', endpoint, body },
  { method: 'POST', path: '/api/group/:groupId', endpoint, body },
  { method: 'GET', path: '/api/group', endpoint },
  { method: 'GET', path: '/api/group/:groupId', endpoint, owned: group },
  { method: 'PUT', path: '/api/group/:groupId', endpoint, owned: group, body },
  { method: 'PATCH', path: '/api/group/:groupId', endpoint, owned: group, body },
  { method: 'DELETE', path: '/api/group/:groupId', endpoint, owned: group },
  { method: 'GET', path: '/api/group/search', endpoint: search },
  { method: 'POST', path: '/api/group/search', endpoint: search, body: () => ({}) },
  { method: 'POST', path: '/api/group/member', endpoint: member, body: members },
  { method: 'PUT', path: '/api/group/member', endpoint: member, body: members },
  { method: 'DELETE', path: '/api/group/member', endpoint: member },
  { method: 'DELETE', path: '/api/group/member/:memberId', endpoint: member, owned: membership },
  { method: 'GET', path: '/api/group/member/search', endpoint: memberSearch },
  { method: 'POST', path: '/api/group/member/search', endpoint: memberSearch, body: () => ({}) },
];

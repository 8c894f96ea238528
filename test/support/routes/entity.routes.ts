import { randomUUID } from 'node:crypto';
import { seedEntity, seedEntityType } from '../fixtures';
import { SecuredRoute } from '../secured-route';

type Owned = NonNullable<SecuredRoute['owned']>;

const type = '/api/entity/type';
const typeSearch = '/api/entity/type/search';
const permission = '/api/entity/type/permission';
const entity = '/api/entity';
const search = '/api/entity/search';
const grant = '/api/entity/grant';
const grantSearch = '/api/entity/grant/search';

/** Entity types belong to no tenant: made globally, whichever tenant is asked for. */
const ownedType: Owned = async (test) => seedEntityType(test);
const typeBody = () => ({ entityType: { name: `security-${randomUUID()}` } });
const permissionBody = (values?: Record<string, string>) => ({
  permission: { name: values?.readId ? 'read' : `security-${randomUUID()}` },
});
// Global-only: a tenant-scoped key is refused even for a type that exists.
const global = { globalOnly: true, foreignStatus: 401 } as const;

const ownedEntity: Owned = (test, tenantId) => seedEntity(test, tenantId);
/** A target entity and a recipient of the same tenant, for grants. */
const ownedPair: Owned = async (test, tenantId) => {
  const target = await seedEntity(test, tenantId);
  const recipient = await seedEntity(test, tenantId, target.entityTypeId);
  return { ...target, recipientEntityId: recipient.entityId };
};
const entityBody = (values?: Record<string, string>) => ({
  entity: { name: `security-${randomUUID()}`, type: { id: values?.entityTypeId ?? randomUUID() } },
});
const grantBody = (values?: Record<string, string>) => ({
  grant: { recipientEntityId: values?.recipientEntityId ?? randomUUID() },
});

const typePath = '/api/entity/type/:entityTypeId';
const permissionsPath = '/api/entity/type/:entityTypeId/permission';
const permissionPath = '/api/entity/type/:entityTypeId/permission/:permissionId';
const entityPath = '/api/entity/:entityId';
const grantPath = '/api/entity/:entityId/grant';
// The client sends both grantee parameters, the unset one as the literal `undefined`.
const granteeQuery = `?recipientEntityId=${randomUUID()}&userId=undefined`;

export const ENTITY_ROUTES: SecuredRoute[] = [
  { method: 'POST', path: type, endpoint: type, globalOnly: true, body: typeBody },
  { method: 'POST', path: typePath, endpoint: type, globalOnly: true, body: typeBody },
  { method: 'GET', path: type, endpoint: type, globalOnly: true },
  { method: 'GET', path: typePath, endpoint: type, ...global, owned: ownedType },
  { method: 'PUT', path: typePath, endpoint: type, ...global, owned: ownedType, body: typeBody },
  { method: 'PATCH', path: typePath, endpoint: type, ...global, owned: ownedType, body: typeBody },
  { method: 'DELETE', path: typePath, endpoint: type, ...global, owned: ownedType },
  { method: 'GET', path: typeSearch, endpoint: typeSearch, globalOnly: true },
  {
    method: 'POST',
    path: typeSearch,
    endpoint: typeSearch,
    globalOnly: true,
    body: () => ({ search: {} }),
  },
  {
    method: 'POST',
    path: permissionsPath,
    endpoint: permission,
    ...global,
    owned: ownedType,
    body: () => permissionBody(),
  },
  {
    method: 'POST',
    path: permissionPath,
    endpoint: permission,
    ...global,
    owned: async (test) => ({ entityTypeId: (await seedEntityType(test)).entityTypeId }),
    body: () => permissionBody(),
  },
  {
    method: 'PUT',
    path: permissionPath,
    endpoint: permission,
    ...global,
    owned: async (test) => {
      const seeded = await seedEntityType(test);
      return { ...seeded, permissionId: seeded.readId };
    },
    body: permissionBody,
  },
  {
    method: 'PATCH',
    path: permissionPath,
    endpoint: permission,
    ...global,
    owned: async (test) => {
      const seeded = await seedEntityType(test);
      return { ...seeded, permissionId: seeded.readId };
    },
    body: permissionBody,
  },
  {
    method: 'DELETE',
    path: permissionPath,
    endpoint: permission,
    ...global,
    owned: async (test) => {
      const seeded = await seedEntityType(test);
      return { ...seeded, permissionId: seeded.writeId };
    },
  },
  {
    method: 'DELETE',
    path: permissionsPath,
    endpoint: permission,
    ...global,
    owned: ownedType,
    query: '?name=write',
  },
  { method: 'POST', path: entity, endpoint: entity, body: entityBody },
  { method: 'POST', path: entityPath, endpoint: entity, body: entityBody },
  { method: 'GET', path: entityPath, endpoint: entity, owned: ownedEntity },
  { method: 'PUT', path: entityPath, endpoint: entity, owned: ownedEntity, body: entityBody },
  { method: 'PATCH', path: entityPath, endpoint: entity, owned: ownedEntity, body: entityBody },
  { method: 'DELETE', path: entityPath, endpoint: entity, owned: ownedEntity },
  { method: 'GET', path: search, endpoint: search, query: '?queryString=*' },
  {
    method: 'POST',
    path: search,
    endpoint: search,
    body: () => ({ search: { queryString: '*' } }),
  },
  { method: 'PUT', path: search, endpoint: search },
  { method: 'POST', path: grantPath, endpoint: grant, owned: ownedPair, body: grantBody },
  { method: 'PUT', path: grantPath, endpoint: grant, owned: ownedPair, body: grantBody },
  { method: 'GET', path: grantPath, endpoint: grant, owned: ownedEntity },
  { method: 'DELETE', path: grantPath, endpoint: grant, owned: ownedEntity, query: granteeQuery },
  { method: 'GET', path: grantSearch, endpoint: grantSearch },
  { method: 'POST', path: grantSearch, endpoint: grantSearch, body: () => ({ search: {} }) },
];

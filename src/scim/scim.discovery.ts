import { JsonObject } from '../common/fields';
import { ScimError } from './scim.error';
import { GROUP_SCHEMA, LIST_RESPONSE_SCHEMA, USER_SCHEMA } from './scim.resource';
import { MAX_COUNT, MAX_FILTERED } from './scim.list';

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

interface AttributeSpec {
  name: string;
  type?: 'string' | 'boolean' | 'complex' | 'reference';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default';
  uniqueness?: 'none' | 'server';
  subAttributes?: AttributeSpec[];
}

/** RFC 7643 §7 attribute definitions, with its defaults spelled out. */
function attribute(spec: AttributeSpec): JsonObject {
  const type = spec.type ?? 'string';
  return {
    name: spec.name,
    type,
    multiValued: spec.multiValued ?? false,
    description: '',
    required: spec.required ?? false,
    ...(type === 'string' || type === 'reference' ? { caseExact: spec.caseExact ?? false } : {}),
    mutability: spec.mutability ?? 'readWrite',
    returned: spec.returned ?? 'default',
    uniqueness: spec.uniqueness ?? 'none',
    ...(spec.subAttributes ? { subAttributes: spec.subAttributes.map(attribute) } : {}),
  };
}

const ID = {
  name: 'id',
  caseExact: true,
  mutability: 'readOnly',
  returned: 'always',
  uniqueness: 'server',
} as const;
const EXTERNAL_ID = { name: 'externalId', caseExact: true } as const;

const USER_ATTRIBUTES: AttributeSpec[] = [
  ID,
  EXTERNAL_ID,
  { name: 'userName', required: true, uniqueness: 'server' },
  {
    name: 'name',
    type: 'complex',
    subAttributes: [{ name: 'formatted' }, { name: 'familyName' }, { name: 'givenName' }],
  },
  { name: 'displayName' },
  { name: 'active', type: 'boolean' },
  { name: 'password', mutability: 'writeOnly', returned: 'never' },
  {
    name: 'emails',
    type: 'complex',
    multiValued: true,
    subAttributes: [{ name: 'value' }, { name: 'type' }, { name: 'primary', type: 'boolean' }],
  },
];

const GROUP_ATTRIBUTES: AttributeSpec[] = [
  ID,
  EXTERNAL_ID,
  { name: 'displayName', required: true, uniqueness: 'server' },
  {
    name: 'members',
    type: 'complex',
    multiValued: true,
    subAttributes: [
      { name: 'value', mutability: 'immutable' },
      { name: 'display', mutability: 'readOnly' },
      { name: 'type', mutability: 'immutable' },
      { name: '$ref', type: 'reference', mutability: 'immutable' },
    ],
  },
];

function schema(id: string, name: string, attributes: AttributeSpec[], base: string): JsonObject {
  return {
    schemas: [SCHEMA_SCHEMA],
    id,
    name,
    description: `${name} resources`,
    attributes: attributes.map(attribute),
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
  };
}

function resourceType(name: 'User' | 'Group', schemaId: string, base: string): JsonObject {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: name,
    name,
    endpoint: `/${name}s`,
    description: `${name}s of the tenant`,
    schema: schemaId,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${name}` },
  };
}

export function listOf(resources: JsonObject[]): JsonObject {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  };
}

/** RFC 7643 §5: what this server supports, and what it does not. */
export function serviceProviderConfig(base: string): JsonObject {
  return {
    schemas: [SPC_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: true },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: `A client-credentials access token granted by the tenant's SCIM server entity (in-memory filtering covers up to ${MAX_FILTERED} resources).`,
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

export function schemas(base: string): JsonObject[] {
  return [
    schema(USER_SCHEMA, 'User', USER_ATTRIBUTES, base),
    schema(GROUP_SCHEMA, 'Group', GROUP_ATTRIBUTES, base),
  ];
}

export function resourceTypes(base: string): JsonObject[] {
  return [resourceType('User', USER_SCHEMA, base), resourceType('Group', GROUP_SCHEMA, base)];
}

export function findById(resources: JsonObject[], id: string, what: string): JsonObject {
  const found = resources.find((resource) => resource.id === id);
  if (found === undefined) throw ScimError.notFound(what, id.slice(0, 100));
  return found;
}

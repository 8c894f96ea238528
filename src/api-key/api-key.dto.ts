import {
  parsePermissions,
  Permissions,
  permissionsFromJson,
  permissionsToJson,
} from '../auth/permissions';
import { FieldErrors } from '../common/api-error';
import { Fields, isObject, JsonObject, SERVER_SET } from '../common/fields';
import type { RateLimit } from '../rate-limit/rate-limit';
import { ApiKeyEntity } from './api-key.entity';
import { keyValueProblem, MAX_KEY_LENGTH } from './api-key.value';

export interface ApiKeyInput {
  key: string | null;
  name: string | null;
  attributes: Record<string, string> | null;
  tenantId: string | null;
  permissions: Permissions;
  ipAccessControlListId: string | null;
  expirationInstant: number | null;
  retrievable: boolean | null;
  keyManager: boolean | null;
  rateLimit: RateLimit | null;
}

export type KeyPurpose = 'create' | 'update';

export interface ApiKeyRequest {
  apiKey: ApiKeyInput;
  sourceKeyId: string | null;
}

/**
 * A key value is chosen once, at creation, and held to the rules then; an update only
 * compares it with the stored one, so a key made before the rules can still be sent back.
 */
function readKey(fields: Fields, purpose: KeyPurpose): string | null {
  const key = fields.string('key', { max: MAX_KEY_LENGTH });
  if (key === null || key === '') return null;
  const problem = purpose === 'create' ? keyValueProblem(key) : null;
  if (problem !== null) {
    fields.errors.add(problem.reason, 'apiKey.key', problem.message);
    return null;
  }
  return key;
}

/** `{requests, seconds, burst?}`: a Portcullis extension; absent or null is no limit. */
function readRateLimit(apiKey: Fields): RateLimit | null {
  const limit = apiKey.object('rateLimit');
  if (limit === null) return null;
  const requests = limit.integer('requests', { min: 1, max: 1_000_000_000 });
  const seconds = limit.integer('seconds', { min: 1, max: 31_536_000 });
  const burst = limit.integer('burst', { min: 0, max: 1_000_000_000 }) ?? 0;
  for (const [name, value] of [
    ['requests', requests],
    ['seconds', seconds],
  ] as const) {
    if (value === null && !limit.errors.has(`apiKey.rateLimit.${name}`))
      limit.errors.add('blank', `apiKey.rateLimit.${name}`);
  }
  return requests === null || seconds === null ? null : { requests, seconds, burst };
}

function readPermissions(apiKey: Fields): Permissions {
  const permissions = apiKey.object('permissions');
  const endpoints = permissions?.record('endpoints');
  if (!endpoints) return null;
  const parsed = parsePermissions(endpoints);
  for (const problem of parsed.problems) {
    const detail = {
      unknownEndpoint: 'is not an endpoint of the permission table',
      badMethod:
        'must list methods among those the endpoint accepts (GET, POST, PUT, PATCH, DELETE)',
      noMethods: 'must list at least one method',
    }[problem.reason];
    apiKey.errors.add(
      'invalid',
      'apiKey.permissions.endpoints',
      `The endpoint [${problem.endpoint.slice(0, 100)}] ${detail}.`,
    );
  }
  return parsed.permissions;
}

function readAttributes(apiKey: Fields): Record<string, string> | null {
  const metaData = apiKey.object('metaData');
  const attributes = metaData?.record('attributes', { maxBytes: 16_384 });
  if (!attributes) return null;
  if (!Object.values(attributes).every((value) => typeof value === 'string')) {
    apiKey.errors.add('couldNotConvert', 'apiKey.metaData.attributes');
    return null;
  }
  return attributes as Record<string, string>;
}

export function readApiKeyRequest(body: unknown, purpose: KeyPurpose = 'create'): ApiKeyRequest {
  const errors = new FieldErrors();
  const { top, inner } = Fields.root(body, 'apiKey', errors);
  const request: ApiKeyRequest = {
    sourceKeyId: top.uuid('sourceKeyId'),
    apiKey: {
      key: readKey(inner, purpose),
      name: inner.string('name', { max: 191, singleLine: true })?.trim() || null,
      attributes: readAttributes(inner),
      tenantId: inner.uuid('tenantId'),
      permissions: readPermissions(inner),
      ipAccessControlListId: inner.uuid('ipAccessControlListId'),
      expirationInstant: inner.long('expirationInstant', { min: 0 }),
      retrievable: inner.boolean('retrievable'),
      keyManager: inner.boolean('keyManager'),
      rateLimit: readRateLimit(inner),
    },
  };
  inner.typeCheck(SERVER_SET);
  errors.throwIfAny();
  return request;
}

/** The one place a key becomes JSON; the key itself only when asked for. */
export function apiKeyToJson(entity: ApiKeyEntity, withKey: boolean): JsonObject {
  const json: JsonObject = { id: entity.id };
  if (withKey && entity.keyValue !== null) json.key = entity.keyValue;
  if (entity.name !== null) json.name = entity.name;
  json.keyManager = entity.keyManager;
  if (entity.tenantId !== null) json.tenantId = entity.tenantId;
  json.permissions = { endpoints: permissionsToJson(permissionsFromJson(entity.permissions)) };
  json.metaData = { attributes: isObject(entity.metaData) ? entity.metaData : {} };
  if (entity.ipAccessControlListId !== null)
    json.ipAccessControlListId = entity.ipAccessControlListId;
  if (entity.expirationInstant !== null) json.expirationInstant = entity.expirationInstant;
  json.retrievable = entity.retrievable;
  if (entity.rateLimit !== null) json.rateLimit = { ...entity.rateLimit };
  json.insertInstant = entity.insertInstant;
  json.lastUpdateInstant = entity.lastUpdateInstant;
  return json;
}

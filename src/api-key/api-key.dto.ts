import {
  parsePermissions,
  Permissions,
  permissionsFromJson,
  permissionsToJson,
} from '../auth/permissions';
import { ApiError, FieldErrors } from '../common/api-error';
import { Fields, isObject, JsonObject, SERVER_SET } from '../common/fields';
import { queryValue } from '../common/query';
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
  inner.typeCheck(KEY_SERVER_SET);
  errors.throwIfAny();
  return request;
}

/** What the server sets on a key, type-checked on input and then ignored. */
const KEY_SERVER_SET = Object.freeze({
  ...SERVER_SET,
  lastUsedInstant: 'long',
  previousKeyExpirationInstant: 'long',
} as const);

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
  if (entity.lastUsedInstant !== null) json.lastUsedInstant = entity.lastUsedInstant;
  if (entity.previousExpirationInstant !== null && entity.previousExpirationInstant > Date.now())
    json.previousKeyExpirationInstant = entity.previousExpirationInstant;
  json.insertInstant = entity.insertInstant;
  json.lastUpdateInstant = entity.lastUpdateInstant;
  return json;
}

/** A rotation's request: how long the old value keeps working, and the new value if chosen. */
export interface RotateRequest {
  graceSeconds: number;
  key: string | null;
}

/** At most a week of overlap: a rotation is a handover, not a second key. */
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

/** `{"graceSeconds": N, "key": "<new value>"}`, both optional; no body at all means both defaults. */
export function readRotateRequest(body: unknown): RotateRequest {
  if (body === undefined || body === '') return { graceSeconds: 0, key: null };
  const fields = Fields.root(body, 'rotation').top;
  const graceSeconds = fields.integer('graceSeconds', { min: 0, max: MAX_GRACE_SECONDS }) ?? 0;
  const key = fields.string('key', { max: MAX_KEY_LENGTH });
  if (key !== null && key !== '') {
    const problem = keyValueProblem(key);
    if (problem !== null) fields.errors.add(problem.reason, 'key', problem.message);
  }
  fields.errors.throwIfAny();
  return { graceSeconds, key: key === '' ? null : key };
}

/** How the key list is ordered: as created (default), most recently used first, or by name. */
export type KeyListOrder = 'insertInstant' | 'lastUsedInstant' | 'name';

const KEY_LIST_ORDERS: readonly KeyListOrder[] = ['insertInstant', 'lastUsedInstant', 'name'];

export function keyListOrder(value: unknown): KeyListOrder {
  const raw = queryValue(value);
  if (raw === null) return 'insertInstant';
  const order = KEY_LIST_ORDERS.find((candidate) => candidate === raw);
  if (order === undefined)
    throw ApiError.field(
      'invalid',
      'orderBy',
      `The [orderBy] must be one of ${KEY_LIST_ORDERS.join(', ')}.`,
    );
  return order;
}

/** Orders keys in place for the list; never-used keys come after used ones. */
export function orderKeys(keys: ApiKeyEntity[], order: KeyListOrder): ApiKeyEntity[] {
  if (order === 'lastUsedInstant')
    return keys.sort((a, b) => (b.lastUsedInstant ?? -1) - (a.lastUsedInstant ?? -1));
  if (order === 'name') return keys.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  return keys;
}

import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { digestKey, generateKey } from '../auth/key-digest';
import { Permissions, permissionsFromJson, permissionsToJson } from '../auth/permissions';
import { callerKey, Caller } from '../auth/principal';
import { ApiError, EmptyResponse, FieldErrors } from '../common/api-error';
import { JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { toRecord } from './api-key.repository';
import { checkIpAclReference } from '../ip-acl/ip-acl.reference';
import { IpAclRepository } from '../ip-acl/ip-acl.repository';
import { ChangeHub } from '../key-cache/change.hub';
import { ChangeEvent } from '../key-cache/key-change.bus';
import { TenantDirectory } from '../tenant/tenant.directory';
import { Authority, withinAuthority } from './api-key.authority';
import {
  ApiKeyInput,
  apiKeyToJson,
  KeyListOrder,
  orderKeys,
  readApiKeyRequest,
  readRotateRequest,
} from './api-key.dto';
import { ApiKeyEntity } from './api-key.entity';
import { fieldChanges, recordedFields } from '../audit/api-key-changes';
import { AuditTrail, KeyEvent } from '../audit/audit.trail';
import { ValueCipher } from '../encryption/value-cipher';
import { authoritySnapshot } from './api-key.audit';
import { ApiKeyRepository } from './api-key.repository';

/** A key made by the system itself (kickstart, first boot), outside any caller's authority. */
export interface TrustedKeySpec {
  key: string;
  description: string | null;
  keyManager: boolean;
  tenantId: string | null;
  permissions: Permissions;
}

function authorityOf(entity: ApiKeyEntity): Authority {
  return toRecord(entity);
}

/**
 * The API Key API. Visibility follows the caller's tenant (another tenant's key is
 * 404); power follows the caller's key (a key beyond it is 401, as FusionAuth refuses
 * any key that lacks the authority for a call).
 */
@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly hub: ChangeHub,
    private readonly tenants: TenantDirectory,
    private readonly ipAcls: IpAclRepository,
    private readonly cipher: ValueCipher,
    private readonly audit: AuditTrail,
  ) {}

  /** Values stored before encryption, or under a previous secret, are sealed anew at boot. */
  async onApplicationBootstrap(): Promise<void> {
    const { sealed } = await this.keys.sealStoredValues();
    if (sealed > 0)
      new Logger('ApiKeyService').log(
        `sealed ${sealed} stored API key values under the current secret`,
      );
  }

  private async visible(caller: Caller, id: string): Promise<ApiKeyEntity> {
    const entity = await this.keys.getById(caller.tenantId, id);
    if (entity === null) throw EmptyResponse.notFound;
    if (!withinAuthority(callerKey(caller), authorityOf(entity))) throw EmptyResponse.unauthorized;
    return entity;
  }

  async retrieve(caller: Caller, id: string): Promise<JsonObject> {
    return { apiKey: apiKeyToJson(await this.visible(caller, id), true) };
  }

  async list(
    caller: Caller,
    startRow: number,
    numberOfResults: number,
    order: KeyListOrder = 'insertInstant',
  ): Promise<JsonObject> {
    const holder = callerKey(caller);
    const visible = orderKeys(
      (await this.keys.list(caller.tenantId)).filter((entity) =>
        withinAuthority(holder, authorityOf(entity)),
      ),
      order,
    );
    return {
      apiKeys: visible
        .slice(startRow, startRow + numberOfResults)
        .map((entity) => apiKeyToJson(entity, true)),
      total: visible.length,
    };
  }

  async create(caller: Caller, id: string | null, body: unknown): Promise<JsonObject> {
    const request = readApiKeyRequest(body);
    const input = { ...request.apiKey };
    if (request.sourceKeyId !== null) {
      const source = await this.keys.getById(caller.tenantId, request.sourceKeyId);
      // A key the caller cannot see answers as one that does not exist, so that a copy
      // never tells a limited manager which ids name stronger keys.
      if (
        source === null ||
        source.keyManager ||
        !withinAuthority(callerKey(caller), authorityOf(source))
      ) {
        throw ApiError.field(
          'invalid',
          'sourceKeyId',
          'The [sourceKeyId] names no key that can be copied.',
        );
      }
      input.permissions = permissionsFromJson(source.permissions);
      input.tenantId = source.tenantId;
      input.ipAccessControlListId = source.ipAccessControlListId;
      input.expirationInstant ??= source.expirationInstant;
      input.rateLimit ??= source.rateLimit;
    }
    input.tenantId ??= caller.tenantId;
    if (caller.tenantId !== null && input.tenantId !== caller.tenantId)
      throw EmptyResponse.unauthorized;
    // Retrievable values are kept sealed; with no secret to seal them, none is kept.
    if (input.retrievable !== false && !this.cipher.available)
      throw ApiError.general('KeyEncryptionSecretRequired');
    const key = input.key ?? generateKey();
    // A manager may make managers (a Portcullis extension: FusionAuth makes them only in its
    // UI), under the rule for every key it makes: no more authority than its own.
    const entity = this.newEntity(id ?? newId(), key, input, input.keyManager === true);
    if (!withinAuthority(callerKey(caller), authorityOf(entity))) throw EmptyResponse.unauthorized;
    await this.checkNew(entity, id !== null, input.tenantId);
    await this.insert(entity);
    this.recordChange(caller, request.sourceKeyId === null ? 'create' : 'copy', entity, {
      ...recordedFields(apiKeyToJson(entity, false)),
      ...(request.sourceKeyId === null ? {} : { sourceKeyId: request.sourceKeyId }),
    });
    // The create response is the one place a key that is not retrievable is shown.
    return { apiKey: { ...apiKeyToJson(entity, false), key } };
  }

  /** Kickstart and first boot: no caller, so no authority check. */
  async createTrusted(spec: TrustedKeySpec): Promise<ApiKeyEntity> {
    const id = newId();
    const retrievable = this.cipher.available;
    const input: ApiKeyInput = {
      key: spec.key,
      // A key that is not retrievable is told apart by its name, so it gets one.
      name: retrievable ? null : `key-${id}`,
      attributes: spec.description === null ? null : { description: spec.description },
      tenantId: spec.tenantId,
      permissions: spec.permissions,
      ipAccessControlListId: null,
      expirationInstant: null,
      // Its value is known to whoever configured it; it is kept only if it can be sealed.
      retrievable,
      keyManager: spec.keyManager,
      rateLimit: null,
    };
    const entity = this.newEntity(id, spec.key, input, spec.keyManager);
    await this.checkNew(entity, false, spec.tenantId);
    await this.insert(entity);
    return entity;
  }

  update(caller: Caller, id: string, body: unknown): Promise<JsonObject> {
    return this.replace(caller, id, body, 'update');
  }

  private async replace(
    caller: Caller,
    id: string,
    body: unknown,
    kind: 'update' | 'patch',
  ): Promise<JsonObject> {
    requireWrapper(body, 'apiKey');
    const entity = await this.visible(caller, id);
    const input = readApiKeyRequest(body, 'update').apiKey;
    const errors = new FieldErrors();
    if (input.keyManager !== null && input.keyManager !== entity.keyManager)
      errors.add('notAllowed', 'apiKey.keyManager');
    if (input.tenantId !== null && input.tenantId !== entity.tenantId) {
      errors.add(
        'notAllowed',
        'apiKey.tenantId',
        'The [apiKey.tenantId] is fixed when the key is created.',
      );
    }
    if (input.key !== null && digestKey(input.key) !== entity.keyDigest) {
      errors.add('notAllowed', 'apiKey.key', 'The [apiKey.key] cannot be changed.');
    }
    if (input.retrievable !== null && input.retrievable !== entity.retrievable) {
      errors.add(
        'notAllowed',
        'apiKey.retrievable',
        'The [apiKey.retrievable] is fixed when the key is created.',
      );
    }
    await this.checkIpAcl(input.ipAccessControlListId, errors);
    errors.throwIfAny();
    const updated: ApiKeyEntity = {
      ...entity,
      name: input.name,
      metaData: input.attributes,
      permissions:
        input.permissions === null ? null : JSON.stringify(permissionsToJson(input.permissions)),
      ipAccessControlListId: input.ipAccessControlListId,
      expirationInstant: input.expirationInstant,
      rateLimit: input.rateLimit,
      lastUpdateInstant: Date.now(),
    };
    if (!withinAuthority(callerKey(caller), authorityOf(updated))) throw EmptyResponse.unauthorized;
    await this.checkName(updated);
    await this.announcedAnyway(
      { type: 'key.updated', keyId: updated.id, digest: updated.keyDigest },
      () => this.write(() => this.keys.save(updated), updated),
    );
    this.recordChange(
      caller,
      kind,
      updated,
      fieldChanges(apiKeyToJson(entity, false), apiKeyToJson(updated, false)),
    );
    return { apiKey: apiKeyToJson(updated, true) };
  }

  async patch(caller: Caller, id: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const entity = await this.visible(caller, id);
    const patched = applyPatch({ apiKey: apiKeyToJson(entity, false) }, body, mode);
    return this.replace(caller, id, patched, 'patch');
  }

  /**
   * A new value for the key, which works at once on every replica; the old one keeps
   * working until the grace instant (none: at once), then is refused everywhere. A second
   * rotation during a grace ends the first grace at once: a key has one previous value.
   */
  async rotate(caller: Caller, id: string, body: unknown): Promise<JsonObject> {
    const entity = await this.visible(caller, id);
    const { graceSeconds, key: chosen } = readRotateRequest(body);
    const key = chosen ?? generateKey();
    const digest = digestKey(key);
    if (await this.keys.digestExists(digest))
      throw ApiError.field('invalid', 'key', 'The [key] cannot be used.');
    const now = Date.now();
    const graceEnd = now + graceSeconds * 1000;
    const rotated: ApiKeyEntity = {
      ...entity,
      keyDigest: digest,
      keyValue: entity.retrievable ? key : null,
      previousKeyDigest: graceSeconds > 0 ? entity.keyDigest : null,
      previousExpirationInstant: graceSeconds > 0 ? graceEnd : null,
      lastUpdateInstant: now,
    };
    const events: ChangeEvent[] = [
      { type: 'key.created', keyId: id, digest },
      { type: 'key.updated', keyId: id, digest: entity.keyDigest },
    ];
    if (entity.previousKeyDigest !== null)
      events.push({ type: 'key.updated', keyId: id, digest: entity.previousKeyDigest });
    try {
      await this.write(() => this.keys.save(rotated), rotated);
    } finally {
      await this.hub.announce(...events);
    }
    this.recordChange(caller, 'rotate', rotated, { graceSeconds });
    // Shown once, as on create, even for a key that is not retrievable.
    return {
      apiKey: { ...apiKeyToJson(rotated, false), key },
      previousKeyExpirationInstant: graceEnd,
    };
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const entity = await this.visible(caller, id);
    await this.announcedAnyway(
      { type: 'key.deleted', keyId: entity.id, digest: entity.keyDigest },
      () => this.keys.delete(entity.id),
    );
    // Deleting the key ends its previous value too.
    if (entity.previousKeyDigest !== null)
      await this.hub.announce({
        type: 'key.deleted',
        keyId: entity.id,
        digest: entity.previousKeyDigest,
      });
    this.recordChange(caller, 'delete', entity, null);
  }

  /** The audit trail's entry for a change that was made: who, what, from where (never the value). */
  private recordChange(
    caller: Caller,
    type: KeyEvent['type'],
    entity: ApiKeyEntity,
    changes: Record<string, unknown> | null,
  ): void {
    this.audit.changed({
      type,
      keyId: entity.id,
      tenantId: entity.tenantId,
      callerKeyId: callerKey(caller).id,
      address: caller.address ?? null,
      changes,
      keySnapshot: authoritySnapshot(entity),
    });
  }

  /**
   * A change is announced even when its write fails: a write that timed out may still
   * have committed, and a revoked key must not live on in caches until their TTL. An
   * announcement only evicts, so one for a write that did not happen costs a reload.
   */
  private async announcedAnyway(event: ChangeEvent, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } finally {
      await this.hub.announce(event);
    }
  }

  private newEntity(
    id: string,
    key: string,
    input: ApiKeyInput,
    keyManager: boolean,
  ): ApiKeyEntity {
    const now = Date.now();
    const retrievable = input.retrievable ?? true;
    return {
      id,
      keyDigest: digestKey(key),
      keyValue: retrievable ? key : null,
      name: input.name,
      nameScope: input.tenantId ?? '',
      metaData: input.attributes,
      tenantId: input.tenantId,
      permissions:
        input.permissions === null ? null : JSON.stringify(permissionsToJson(input.permissions)),
      keyManager,
      ipAccessControlListId: input.ipAccessControlListId,
      expirationInstant: input.expirationInstant,
      retrievable,
      rateLimit: input.rateLimit,
      previousKeyDigest: null,
      previousExpirationInstant: null,
      lastUsedInstant: null,
      insertInstant: now,
      lastUpdateInstant: now,
    };
  }

  private async checkNew(
    entity: ApiKeyEntity,
    idChosen: boolean,
    tenantId: string | null,
  ): Promise<void> {
    const errors = new FieldErrors();
    if (!entity.retrievable && entity.name === null) {
      errors.add('blank', 'apiKey.name', 'A key that is not retrievable needs a [apiKey.name].');
    }
    if (tenantId !== null && !(await this.tenants.exists(tenantId))) {
      errors.add('invalid', 'apiKey.tenantId', 'The [apiKey.tenantId] names no tenant.');
    }
    await this.checkIpAcl(entity.ipAccessControlListId, errors);
    // Ids and key values are unique across tenants. A taken id answers as one taken in
    // the caller's own tenant; a key value in use is refused without saying it is in use.
    if (idChosen && (await this.keys.getById(null, entity.id)) !== null)
      errors.add('duplicate', 'keyId');
    if (await this.keys.digestExists(entity.keyDigest)) errors.add('invalid', 'apiKey.key');
    errors.throwIfAny();
    await this.checkName(entity);
  }

  private checkIpAcl(id: string | null, errors: FieldErrors): Promise<void> {
    return checkIpAclReference(this.ipAcls, id, 'apiKey.ipAccessControlListId', errors);
  }

  private async checkName(entity: ApiKeyEntity): Promise<void> {
    if (entity.name === null) return;
    const holder = await this.keys.findByName(entity.tenantId, entity.name);
    if (holder !== null && holder.id !== entity.id)
      throw ApiError.field('duplicate', 'apiKey.name');
  }

  private async insert(entity: ApiKeyEntity): Promise<void> {
    await this.write(() => this.keys.insert(entity), entity);
    await this.hub.announce({ type: 'key.created', keyId: entity.id, digest: entity.keyDigest });
  }

  /**
   * A write that lost a uniqueness race to another replica reads as the refusal it would
   * have met a moment later. A key value in use is `[invalid]`, never `[duplicate]`: any
   * key in use collides, whatever its tenant, and the answer does not say so.
   */
  private async write(work: () => Promise<void>, entity: ApiKeyEntity): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.checkName(entity);
      throw ApiError.field('invalid', 'apiKey.key');
    }
  }
}

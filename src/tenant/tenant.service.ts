import { Injectable } from '@nestjs/common';
import { ApiKeyRepository } from '../api-key/api-key.repository';
import { Caller, callerKey } from '../auth/principal';
import { ApiError, EmptyResponse } from '../common/api-error';
import { Fields, JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { ChangeEvent } from '../key-cache/key-change.bus';
import { FieldErrors } from '../common/api-error';
import { EntityTypeRepository } from '../entity/entity-type.repository';
import { ChangeHub } from '../key-cache/change.hub';
import { IpAclRepository } from '../ip-acl/ip-acl.repository';
import { SigningKeyRepository } from '../signing-key/signing-key.repository';
import { requireSettingsReferences } from './settings.references';
import { SigningKeyService } from '../signing-key/signing-key.service';
import {
  DEFAULT_TENANT_CONFIGURATION,
  readTenantRequest,
  ScimServerSettings,
  TenantConfiguration,
  TenantInput,
  tenantPatchBase,
  tenantToJson,
} from './tenant.dto';
import { TenantEntity } from './tenant.entity';
import { TenantDirectory } from './tenant.directory';
import { TenantRepository } from './tenant.repository';

/**
 * A tenant always has an access-token key: a replace that names none keeps the one it
 * had, as an application keeps its client secret.
 */
function keepAccessTokenKey(input: TenantInput, current: TenantEntity): TenantInput {
  const jwt = input.configuration.jwtConfiguration;
  if (jwt.accessTokenKeyId !== null) return input;
  const kept = current.configuration.jwtConfiguration.accessTokenKeyId;
  return {
    ...input,
    configuration: { ...input.configuration, jwtConfiguration: { ...jwt, accessTokenKeyId: kept } },
  };
}

export interface TenantSearch {
  name: string | null;
  startRow: number;
  numberOfResults: number;
}

/**
 * Tenants. A tenant-scoped key sees and updates its own tenant only, and can neither
 * create nor delete tenants; a header-scoped request sees only the named tenant.
 */
@Injectable()
export class TenantService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly keys: ApiKeyRepository,
    private readonly hub: ChangeHub,
    private readonly directory: TenantDirectory,
    private readonly ipAcls: IpAclRepository,
    private readonly signingKeys: SigningKeyRepository,
    private readonly signingKeyService: SigningKeyService,
    private readonly entityTypes: EntityTypeRepository,
  ) {}

  private async read(body: unknown, base: TenantConfiguration): Promise<TenantInput> {
    const input = readTenantRequest(body, base);
    await requireSettingsReferences(this.ipAcls, this.signingKeys, input.configuration, 'tenant');
    await this.requireScimEntityTypes(input.configuration.scimServerConfiguration);
    return input;
  }

  /** SCIM wiring names entity types that exist (`[invalid]…`), as other references must. */
  private async requireScimEntityTypes(scim: ScimServerSettings): Promise<void> {
    if (!scim.enabled) return;
    const errors = new FieldErrors();
    for (const field of ['serverEntityTypeId', 'clientEntityTypeId'] as const) {
      const id = scim[field];
      if (id !== null && (await this.entityTypes.findById(id)) === null)
        errors.add(
          'invalid',
          `tenant.scimServerConfiguration.${field}`,
          `The [tenant.scimServerConfiguration.${field}] names no entity type.`,
        );
    }
    errors.throwIfAny();
  }

  /** First boot: the Default tenant. */
  async ensureDefault(): Promise<void> {
    if ((await this.tenants.ids()).length > 0) return;
    await this.insert(
      newId(),
      { name: 'Default', configuration: DEFAULT_TENANT_CONFIGURATION },
      true,
    );
  }

  private async visible(caller: Caller, id: string): Promise<TenantEntity> {
    const entity =
      caller.tenantId === null || caller.tenantId === id ? await this.tenants.getById(id) : null;
    if (entity === null) throw EmptyResponse.notFound;
    return entity;
  }

  private refuseScopedKey(caller: Caller): void {
    if (callerKey(caller).tenantId !== null) throw EmptyResponse.unauthorized;
  }

  async retrieve(caller: Caller, id: string): Promise<JsonObject> {
    return { tenant: tenantToJson(await this.visible(caller, id)) };
  }

  async list(caller: Caller): Promise<JsonObject> {
    return { tenants: (await this.tenants.list(caller.tenantId)).map(tenantToJson) };
  }

  async search(criteria: TenantSearch): Promise<JsonObject> {
    const page = await this.tenants.search(
      criteria.name,
      criteria.startRow,
      criteria.numberOfResults,
    );
    return { tenants: page.rows.map(tenantToJson), total: page.total };
  }

  async create(caller: Caller, id: string | null, body: unknown): Promise<JsonObject> {
    this.refuseScopedKey(caller);
    const { top } = Fields.root(body, 'tenant');
    const sourceId = top.uuid('sourceTenantId');
    top.errors.throwIfAny();
    let base = DEFAULT_TENANT_CONFIGURATION;
    if (sourceId !== null) {
      const source = await this.tenants.getById(sourceId);
      if (source === null)
        throw ApiError.field('invalid', 'sourceTenantId', 'The [sourceTenantId] names no tenant.');
      base = source.configuration;
    }
    const input = await this.read(body, base);
    if (id !== null && (await this.tenants.getById(id)) !== null)
      throw ApiError.field('duplicate', 'tenantId');
    return { tenant: tenantToJson(await this.insert(id ?? newId(), input, false)) };
  }

  async update(caller: Caller, id: string, body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'tenant');
    const entity = await this.visible(caller, id);
    const input = keepAccessTokenKey(await this.read(body, DEFAULT_TENANT_CONFIGURATION), entity);
    const updated: TenantEntity = { ...entity, ...input, lastUpdateInstant: Date.now() };
    // Tenant names are one namespace across tenants: a key confined to one tenant may not
    // probe it, so its renames are refused whether or not the name is free.
    if (updated.name !== entity.name && callerKey(caller).tenantId !== null) {
      throw ApiError.field(
        'notAllowed',
        'tenant.name',
        'A tenant-scoped key cannot change its tenant name.',
      );
    }
    await this.checkName(updated);
    await this.write(() => this.tenants.save(updated));
    await this.hub.announce({ type: 'tenant.changed', tenantId: id });
    return { tenant: tenantToJson(updated) };
  }

  async patch(caller: Caller, id: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const entity = await this.visible(caller, id);
    return this.update(caller, id, applyPatch(tenantPatchBase(entity), body, mode));
  }

  /** Removes the tenant, its keys and everything else it owns. */
  async delete(caller: Caller, id: string): Promise<void> {
    this.refuseScopedKey(caller);
    const entity = await this.visible(caller, id);
    if (entity.isDefault) throw ApiError.general('DefaultTenantDelete');
    const removedKeys = await this.tenants.transaction(async (manager) => {
      const keys = await this.keys.listByTenant(id, manager);
      await this.tenants.delete(id, manager);
      return keys;
    });
    const events: ChangeEvent[] = removedKeys.map((key) => ({
      type: 'key.deleted',
      keyId: key.id,
      digest: key.keyDigest,
    }));
    this.directory.note(id, false);
    await this.hub.announce(...events, { type: 'tenant.changed', tenantId: id });
  }

  /** A tenant that names no access-token key gets one of its own, made with it. */
  private async insert(id: string, input: TenantInput, isDefault: boolean): Promise<TenantEntity> {
    const now = Date.now();
    const entity: TenantEntity = {
      id,
      ...input,
      isDefault,
      insertInstant: now,
      lastUpdateInstant: now,
    };
    await this.checkName(entity);
    const jwt = input.configuration.jwtConfiguration;
    const madeKey =
      jwt.accessTokenKeyId === null
        ? await this.signingKeyService.createTenantKey(id, isDefault)
        : null;
    if (madeKey !== null)
      entity.configuration = {
        ...input.configuration,
        jwtConfiguration: { ...jwt, accessTokenKeyId: madeKey },
      };
    try {
      await this.write(() => this.tenants.insert(entity));
    } catch (error) {
      if (madeKey !== null) await this.signingKeyService.discardTenantKey(madeKey);
      throw error;
    }
    this.directory.note(id, true);
    await this.hub.announce({ type: 'tenant.changed', tenantId: id });
    return entity;
  }

  private async checkName(entity: TenantEntity): Promise<void> {
    const holder = await this.tenants.findByName(entity.name);
    if (holder !== null && holder.id !== entity.id)
      throw ApiError.field('duplicate', 'tenant.name');
  }

  private async write(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.field('duplicate', 'tenant.name');
      throw error;
    }
  }
}

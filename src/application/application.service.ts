import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/principal';
import { requireTenant } from '../auth/tenant-requirement';
import { ApiError, EmptyResponse } from '../common/api-error';
import { Fields, JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { NameSearch, searchTenant } from '../common/search';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { IpAclRepository } from '../ip-acl/ip-acl.repository';
import { RefreshTokenService } from '../refresh-token/refresh-token.service';
import { SigningKeyRepository } from '../signing-key/signing-key.repository';
import { requireSettingsReferences } from '../tenant/settings.references';
import { TenantDirectory } from '../tenant/tenant.directory';
import {
  ApplicationConfiguration,
  ApplicationInput,
  applicationToJson,
  configurationOf,
  DEFAULT_APPLICATION_CONFIGURATION,
  newClientSecret,
  readApplicationRequest,
  RoleInput,
} from './application.dto';
import { ApplicationEntity, ApplicationRoleEntity } from './application.entity';
import { ApplicationRepository } from './application.repository';

export function newRole(
  applicationId: string,
  { name, description, isDefault, isSuperRole }: RoleInput,
  { id = newId(), now = Date.now() } = {},
): ApplicationRoleEntity {
  return {
    id,
    applicationId,
    name,
    description,
    isDefault,
    isSuperRole,
    insertInstant: now,
    lastUpdateInstant: now,
  };
}

/**
 * Applications. A create lands in the caller's tenant (or the only one); a request by
 * id finds the tenant from the application, and another tenant's application is 404.
 * DELETE deactivates; `hardDelete` removes it with its roles and registrations.
 */
@Injectable()
export class ApplicationService {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly tenants: TenantDirectory,
    private readonly ipAcls: IpAclRepository,
    private readonly signingKeys: SigningKeyRepository,
    private readonly sessions: RefreshTokenService,
  ) {}

  private async read(
    body: unknown,
    base: ApplicationConfiguration,
    withRoles: boolean,
  ): Promise<ApplicationInput> {
    const input = readApplicationRequest(body, base, { withRoles });
    await requireSettingsReferences(
      this.ipAcls,
      this.signingKeys,
      input.configuration,
      'application',
    );
    return input;
  }

  async visible(caller: Caller, id: string): Promise<ApplicationEntity> {
    const entity = await this.applications.getById(caller.tenantId, id);
    if (entity === null) throw EmptyResponse.notFound;
    return entity;
  }

  private async toJson(entity: ApplicationEntity): Promise<JsonObject> {
    return applicationToJson(entity, await this.applications.rolesOf(entity.id));
  }

  private async manyToJson(entities: ApplicationEntity[]): Promise<JsonObject[]> {
    const roles = await this.applications.rolesOfMany(entities.map((entity) => entity.id));
    return entities.map((entity) =>
      applicationToJson(
        entity,
        roles.filter((role) => role.applicationId === entity.id),
      ),
    );
  }

  async retrieve(caller: Caller, id: string): Promise<JsonObject> {
    const found = await this.applications.getWithRoles(caller.tenantId, id);
    if (found === null) throw EmptyResponse.notFound;
    return { application: applicationToJson(found.application, found.roles) };
  }

  async list(caller: Caller, inactive: boolean): Promise<JsonObject> {
    const entities = await this.applications.list(caller.tenantId, !inactive);
    return { applications: await this.manyToJson(entities) };
  }

  async search(caller: Caller, criteria: NameSearch): Promise<JsonObject> {
    const scope = searchTenant(caller.tenantId, criteria.tenantId);
    if (scope === undefined) return { applications: [], total: 0 };
    const page = await this.applications.search(scope, criteria.name, criteria);
    return { applications: await this.manyToJson(page.rows), total: page.total };
  }

  /** `sourceApplicationId` copies an application of the same tenant, roles included. */
  async create(caller: Caller, id: string | null, body: unknown): Promise<JsonObject> {
    const tenantId = requireTenant(caller, this.tenants);
    const { top } = Fields.root(body, 'application');
    const sourceId = top.uuid('sourceApplicationId');
    top.errors.throwIfAny();
    let base: ApplicationConfiguration = DEFAULT_APPLICATION_CONFIGURATION;
    let sourceRoles: RoleInput[] = [];
    if (sourceId !== null) {
      const source = await this.applications.getById(tenantId, sourceId);
      if (source === null) {
        throw ApiError.field(
          'invalid',
          'sourceApplicationId',
          'The [sourceApplicationId] names no application of this tenant.',
        );
      }
      // The copy gets its own client secret.
      const copied = configurationOf(source);
      base = { ...copied, oauthConfiguration: { ...copied.oauthConfiguration, clientSecret: '' } };
      sourceRoles = await this.applications.rolesOf(source.id);
    }
    const input = await this.read(body, base, true);
    const applicationId = id ?? newId();
    if (id !== null && (await this.applications.getById(null, id)) !== null)
      throw ApiError.field('duplicate', 'applicationId');
    const now = Date.now();
    const entity: ApplicationEntity = {
      id: applicationId,
      tenantId,
      name: input.name,
      active: true,
      configuration: this.withSecret(input.configuration, base) as unknown as JsonObject,
      insertInstant: now,
      lastUpdateInstant: now,
    };
    const roles = [...sourceRoles, ...input.roles].map((role) =>
      newRole(applicationId, role, { now }),
    );
    if (new Set(roles.map((role) => role.name)).size !== roles.length)
      throw ApiError.field('duplicate', 'application.roles.name');
    await this.write(() => this.applications.insert(entity, roles), 'applicationId');
    return { application: applicationToJson(entity, roles) };
  }

  /** PUT replaces everything but the roles; `reactivate` only turns the application back on. */
  async update(caller: Caller, id: string, body: unknown, reactivate = false): Promise<JsonObject> {
    if (!reactivate) requireWrapper(body, 'application');
    const entity = await this.visible(caller, id);
    let updated: ApplicationEntity;
    if (reactivate) {
      updated = { ...entity, active: true, lastUpdateInstant: Date.now() };
    } else {
      const current = configurationOf(entity);
      const input = await this.read(body, DEFAULT_APPLICATION_CONFIGURATION, false);
      updated = {
        ...entity,
        name: input.name,
        configuration: this.withSecret(input.configuration, current) as unknown as JsonObject,
        lastUpdateInstant: Date.now(),
      };
    }
    await this.applications.save(entity.tenantId, updated);
    return { application: await this.toJson(updated) };
  }

  async patch(caller: Caller, id: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const entity = await this.visible(caller, id);
    const current = { application: await this.toJson(entity) };
    return this.update(caller, id, applyPatch(current, body, mode));
  }

  async delete(caller: Caller, id: string, hardDelete: boolean): Promise<void> {
    const entity = await this.visible(caller, id);
    if (hardDelete) {
      // Its sessions go with it (a cascade); revoking them first announces it to replicas.
      await this.sessions.revoke({ tenantId: entity.tenantId, applicationId: entity.id });
      await this.applications.delete(entity.tenantId, entity.id);
    } else if (entity.active)
      await this.applications.save(entity.tenantId, {
        ...entity,
        active: false,
        lastUpdateInstant: Date.now(),
      });
  }

  /**
   * An application always has a client secret: one the request gives, else the one it
   * had (a PUT that omits it does not rotate it), else a new one.
   */
  private withSecret(
    configuration: ApplicationConfiguration,
    previous: ApplicationConfiguration,
  ): ApplicationConfiguration {
    const given = configuration.oauthConfiguration.clientSecret;
    const clientSecret =
      given !== DEFAULT_APPLICATION_CONFIGURATION.oauthConfiguration.clientSecret
        ? given
        : previous.oauthConfiguration.clientSecret || newClientSecret();
    return {
      ...configuration,
      oauthConfiguration: { ...configuration.oauthConfiguration, clientSecret },
    };
  }

  private async write(work: () => Promise<void>, field: string): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.field('duplicate', field);
      throw error;
    }
  }
}

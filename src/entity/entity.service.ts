import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Caller } from '../auth/principal';
import { requireTenant } from '../auth/tenant-requirement';
import { ApiError, EmptyResponse, FieldErrors } from '../common/api-error';
import { JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { ChangeHub } from '../key-cache/change.hub';
import { TenantDirectory } from '../tenant/tenant.directory';
import { announcedAfter, entityChanged } from './entity.changes';
import {
  EntityInput,
  EntitySearch,
  entityToJson,
  newClientSecret,
  readEntityRequest,
} from './entity.dto';
import { EntityRow } from './entity.entity';
import { EntityRepository } from './entity.repository';
import { EntityTypeService } from './entity-type.service';

/**
 * Entities, owned by a tenant as users are: a create lands in the caller's tenant (or the
 * only one); one of another tenant is not found. Client ids are unique across tenants.
 */
@Injectable()
export class EntityService implements OnApplicationBootstrap {
  constructor(
    private readonly entities: EntityRepository,
    private readonly types: EntityTypeService,
    private readonly tenants: TenantDirectory,
    private readonly hub: ChangeHub,
  ) {}

  /** Client secrets stored in plaintext, or under a previous secret, are sealed anew at boot. */
  async onApplicationBootstrap(): Promise<void> {
    const { sealed } = await this.entities.sealStoredSecrets();
    if (sealed > 0)
      new Logger('EntityService').log(
        `sealed ${sealed} stored client secrets under the current secret`,
      );
  }

  async visible(caller: Caller, id: string): Promise<EntityRow> {
    const row = await this.entities.getById(caller.tenantId, id);
    if (row === null) throw EmptyResponse.notFound;
    return row;
  }

  /** Entities as JSON, each with its full type, in the order given. */
  async render(rows: EntityRow[]): Promise<JsonObject[]> {
    const types = await this.types.renderByIds(rows.map((row) => row.typeId));
    return rows.map((row) => entityToJson(row, types.get(row.typeId) ?? { id: row.typeId }));
  }

  async retrieve(caller: Caller, id: string): Promise<JsonObject> {
    return { entity: (await this.render([await this.visible(caller, id)]))[0] };
  }

  async search(caller: Caller, criteria: EntitySearch): Promise<JsonObject> {
    if (criteria.ids !== null) {
      const rows = await this.entities.getManyByIds(caller.tenantId, criteria.ids);
      return { entities: await this.render(rows), total: rows.length };
    }
    const page = await this.entities.search(
      caller.tenantId,
      criteria.name,
      criteria.sort,
      criteria,
    );
    return { entities: await this.render(page.rows), total: page.total };
  }

  async create(caller: Caller, id: string | null, body: unknown): Promise<JsonObject> {
    const tenantId = requireTenant(caller, this.tenants);
    const input = readEntityRequest(body);
    const entityId = id ?? newId();
    const now = Date.now();
    const row: EntityRow = {
      id: entityId,
      tenantId,
      typeId: input.typeId,
      name: input.name,
      clientId: input.clientId ?? entityId,
      clientSecret: input.clientSecret ?? newClientSecret(),
      data: input.data,
      parentId: input.parentId,
      insertInstant: now,
      lastUpdateInstant: now,
    };
    (await this.conflicts(row, input, id !== null)).throwIfAny();
    // Announced too: a replica may hold this id or client id as unknown from an earlier ask.
    await announcedAfter(this.hub, [entityChanged(entityId)], () =>
      this.write(row, id !== null, () => this.entities.insert(row)),
    );
    return { entity: (await this.render([row]))[0] };
  }

  /** PUT replaces; a blank or absent client id or secret keeps the current one. */
  async update(caller: Caller, id: string, body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'entity');
    const current = await this.visible(caller, id);
    const input = readEntityRequest(body);
    const row: EntityRow = {
      ...current,
      name: input.name,
      clientId: input.clientId ?? current.clientId,
      clientSecret: input.clientSecret ?? current.clientSecret,
      data: input.data,
      parentId: input.parentId,
      lastUpdateInstant: Date.now(),
    };
    const errors = await this.conflicts(row, input, false);
    // Grants name permissions of the entity's type: another type would leave them meaningless.
    if (input.typeId !== current.typeId && !errors.has('entity.type.id'))
      errors.add('invalid', 'entity.type.id', 'The type of an entity cannot change.');
    errors.throwIfAny();
    await announcedAfter(this.hub, [entityChanged(id)], () =>
      this.write(row, false, () => this.entities.update(current.tenantId, row)),
    );
    return { entity: (await this.render([row]))[0] };
  }

  async patch(caller: Caller, id: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const current = await this.retrieve(caller, id);
    return this.update(caller, id, applyPatch(current, body, mode));
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const row = await this.visible(caller, id);
    await announcedAfter(this.hub, [entityChanged(id)], () =>
      this.entities.delete(row.tenantId, row.id),
    );
  }

  private async conflicts(row: EntityRow, input: EntityInput, chosenId: boolean) {
    const errors = new FieldErrors();
    if (chosenId && (await this.entities.findById(row.id)) !== null)
      errors.add('duplicate', 'entityId');
    if (!(await this.types.exists(input.typeId)))
      errors.add('invalid', 'entity.type.id', `No entity type has the id [${input.typeId}].`);
    const holder = await this.entities.findByClientId(row.clientId);
    if (holder !== null && holder.id !== row.id) errors.add('duplicate', 'entity.clientId');
    if (row.parentId !== null && (await this.entities.getById(row.tenantId, row.parentId)) === null)
      errors.add(
        'invalid',
        'entity.parentId',
        `No entity of the tenant has the id [${row.parentId}].`,
      );
    return errors;
  }

  /** A write that lost a race to another replica reads as the duplicate it is. */
  private async write(row: EntityRow, chosenId: boolean, work: () => Promise<void>) {
    try {
      await work();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const taken = chosenId && (await this.entities.findById(row.id)) !== null;
      throw ApiError.field('duplicate', taken ? 'entityId' : 'entity.clientId');
    }
  }
}

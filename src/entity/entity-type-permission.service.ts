import { Injectable } from '@nestjs/common';
import { ApiError, EmptyResponse } from '../common/api-error';
import { JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { ChangeHub } from '../key-cache/change.hub';
import { announcedAfter, entityTypeChanged } from './entity.changes';
import { EntityTypePermissionRow } from './entity.entity';
import { permissionToJson, readPermissionRequest } from './entity-type.dto';
import { EntityTypeRepository } from './entity-type.repository';
import { EntityTypeService } from './entity-type.service';

/**
 * The permissions of an entity type. A name is unique in its type and cannot change (grants
 * and tokens hold names); deleting one takes it out of the grants that held it.
 */
@Injectable()
export class EntityTypePermissionService {
  constructor(
    private readonly types: EntityTypeRepository,
    private readonly typeService: EntityTypeService,
    private readonly hub: ChangeHub,
  ) {}

  private async existing(typeId: string, id: string): Promise<EntityTypePermissionRow> {
    await this.typeService.existing(typeId);
    const row = await this.types.findPermission(typeId, id);
    if (row === null) throw EmptyResponse.notFound;
    return row;
  }

  async create(typeId: string, id: string | null, body: unknown): Promise<JsonObject> {
    const input = readPermissionRequest(body);
    await this.typeService.existing(typeId);
    if (id !== null && (await this.types.permissionIdTaken(id)))
      throw ApiError.field('duplicate', 'permissionId');
    if ((await this.types.findPermissionByName(typeId, input.name)) !== null)
      throw ApiError.field('duplicate', 'permission.name');
    const now = Date.now();
    const row: EntityTypePermissionRow = {
      id: id ?? newId(),
      entityTypeId: typeId,
      ...input,
      insertInstant: now,
      lastUpdateInstant: now,
    };
    await this.write(() => this.types.insertPermission(row));
    return { permission: permissionToJson(row) };
  }

  async update(typeId: string, id: string, body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'permission');
    const current = await this.existing(typeId, id);
    const input = readPermissionRequest(body);
    if (input.name !== current.name) {
      throw ApiError.field(
        'invalid',
        'permission.name',
        `The name of a permission cannot change; it is [${current.name}].`,
      );
    }
    const row: EntityTypePermissionRow = { ...current, ...input, lastUpdateInstant: Date.now() };
    await announcedAfter(this.hub, [entityTypeChanged(typeId)], () =>
      this.types.updatePermission(row),
    );
    return { permission: permissionToJson(row) };
  }

  async patch(typeId: string, id: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const current = { permission: permissionToJson(await this.existing(typeId, id)) };
    return this.update(typeId, id, applyPatch(current, body, mode));
  }

  async delete(typeId: string, id: string): Promise<void> {
    await this.remove(await this.existing(typeId, id));
  }

  async deleteByName(typeId: string, name: string): Promise<void> {
    await this.typeService.existing(typeId);
    const row = await this.types.findPermissionByName(typeId, name);
    if (row === null) throw EmptyResponse.notFound;
    await this.remove(row);
  }

  private async remove(row: EntityTypePermissionRow): Promise<void> {
    await announcedAfter(this.hub, [entityTypeChanged(row.entityTypeId)], () =>
      this.types.deletePermission(row),
    );
  }

  private async write(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.field('duplicate', 'permission.name');
      throw error;
    }
  }
}

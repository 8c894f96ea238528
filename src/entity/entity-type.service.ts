import { Injectable } from '@nestjs/common';
import { ApiError, EmptyResponse } from '../common/api-error';
import { JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { ChangeHub } from '../key-cache/change.hub';
import { requireSigningKeyReferences } from '../signing-key/signing-key.reference';
import { SigningKeyRepository } from '../signing-key/signing-key.repository';
import { announcedAfter, entityTypeChanged } from './entity.changes';
import { EntityTypePermissionRow, EntityTypeRow } from './entity.entity';
import { EntityTypeInput, entityTypeToJson, readEntityTypeRequest } from './entity-type.dto';
import { EntityTypeRepository, EntityTypeSearch } from './entity-type.repository';

/**
 * Entity types: global (the endpoints are global-only). Names are unique ignoring case; a
 * `jwtConfiguration` must name a key that exists and can sign.
 */
@Injectable()
export class EntityTypeService {
  constructor(
    private readonly types: EntityTypeRepository,
    private readonly keys: SigningKeyRepository,
    private readonly hub: ChangeHub,
  ) {}

  async existing(id: string): Promise<EntityTypeRow> {
    const row = await this.types.findById(id);
    if (row === null) throw EmptyResponse.notFound;
    return row;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.types.findById(id)) !== null;
  }

  /** Types as JSON, each with its permissions, in the order given. */
  async render(rows: EntityTypeRow[]): Promise<JsonObject[]> {
    const permissions = await this.types.permissionsOf(rows.map((row) => row.id));
    return rows.map((row) =>
      entityTypeToJson(
        row,
        permissions.filter((permission) => permission.entityTypeId === row.id),
      ),
    );
  }

  /** The JSON of each type named, by id. */
  async renderByIds(ids: string[]): Promise<Map<string, JsonObject>> {
    const rows = await this.types.findManyByIds([...new Set(ids)]);
    const json = await this.render(rows);
    return new Map(rows.map((row, index) => [row.id, json[index]]));
  }

  async retrieve(id: string): Promise<JsonObject> {
    return { entityType: (await this.render([await this.existing(id)]))[0] };
  }

  async list(): Promise<JsonObject> {
    return { entityTypes: await this.render(await this.types.all()) };
  }

  async search(criteria: EntityTypeSearch): Promise<JsonObject> {
    const page = await this.types.search(criteria);
    return { entityTypes: await this.render(page.rows), total: page.total };
  }

  async create(id: string | null, body: unknown): Promise<JsonObject> {
    const input = readEntityTypeRequest(body, true);
    if (id !== null && (await this.types.findById(id)) !== null)
      throw ApiError.field('duplicate', 'entityTypeId');
    const now = Date.now();
    const row = this.toRow(id ?? newId(), input, now, now);
    await this.check(row, input);
    const permissions = input.permissions.map((permission): EntityTypePermissionRow => ({
      id: newId(),
      entityTypeId: row.id,
      ...permission,
      insertInstant: now,
      lastUpdateInstant: now,
    }));
    await this.write(() => this.types.insert(row, permissions));
    return { entityType: entityTypeToJson(row, permissions) };
  }

  /** PUT replaces the name, data and jwtConfiguration; permissions have their own routes. */
  async update(id: string, body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'entityType');
    const current = await this.existing(id);
    const input = readEntityTypeRequest(body, false);
    const row = this.toRow(id, input, current.insertInstant, Date.now());
    await this.check(row, input);
    await announcedAfter(this.hub, [entityTypeChanged(id)], () =>
      this.write(() => this.types.update(row)),
    );
    return this.retrieve(id);
  }

  async patch(id: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const current = await this.retrieve(id);
    return this.update(id, applyPatch(current, body, mode));
  }

  /** A type that entities still have is refused: they would be left without permissions. */
  async delete(id: string): Promise<void> {
    await this.existing(id);
    if (await this.types.hasEntities(id)) throw ApiError.general('entityTypeInUse');
    await announcedAfter(this.hub, [entityTypeChanged(id)], () => this.types.delete(id));
  }

  private toRow(id: string, input: EntityTypeInput, inserted: number, now: number): EntityTypeRow {
    return {
      id,
      name: input.name,
      data: input.data,
      jwtEnabled: input.jwt.enabled,
      jwtAccessTokenKeyId: input.jwt.accessTokenKeyId,
      jwtTimeToLiveSeconds: input.jwt.timeToLiveInSeconds,
      insertInstant: inserted,
      lastUpdateInstant: now,
    };
  }

  private async check(row: EntityTypeRow, input: EntityTypeInput): Promise<void> {
    await requireSigningKeyReferences(
      this.keys,
      { accessTokenKeyId: input.jwt.accessTokenKeyId, idTokenKeyId: null },
      'entityType.jwtConfiguration',
    );
    const holder = await this.types.findByName(row.name);
    if (holder !== null && holder.id !== row.id)
      throw ApiError.field('duplicate', 'entityType.name');
  }

  /** A write that lost a race to another replica reads as the duplicate it is. */
  private async write(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.field('duplicate', 'entityType.name');
      throw error;
    }
  }
}

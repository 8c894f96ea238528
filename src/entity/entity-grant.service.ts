import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/principal';
import { ApiError, EmptyResponse } from '../common/api-error';
import { JsonObject, requireWrapper } from '../common/fields';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { ChangeHub } from '../key-cache/change.hub';
import { UserRepository } from '../user/user.repository';
import { announcedAfter, entityChanged } from './entity.changes';
import { EntityGrantRow, EntityRow } from './entity.entity';
import { GrantInput, grantToJson, readGrantRequest } from './entity-grant.dto';
import { EntityGrantRepository, Grantee, GrantSearch } from './entity-grant.repository';
import { EntityRepository } from './entity.repository';
import { EntityService } from './entity.service';
import { EntityTypeRepository } from './entity-type.repository';

/**
 * Grants: what an entity (the target) lets a recipient entity or a user do, as names of
 * its type's permissions. The recipient must be of the target's tenant. A write upserts,
 * and is announced for both ends, since tokens of either may hold what it changed.
 */
@Injectable()
export class EntityGrantService {
  constructor(
    private readonly grants: EntityGrantRepository,
    private readonly entities: EntityRepository,
    private readonly entityService: EntityService,
    private readonly types: EntityTypeRepository,
    private readonly users: UserRepository,
    private readonly hub: ChangeHub,
  ) {}

  private async render(rows: EntityGrantRow[]): Promise<JsonObject[]> {
    const targets = await this.entities.getManyByIds(null, [
      ...new Set(rows.map((row) => row.entityId)),
    ]);
    const json = await this.entityService.render(targets);
    const byId = new Map(targets.map((target, index) => [target.id, json[index]]));
    return rows.map((row) => grantToJson(row, byId.get(row.entityId) ?? { id: row.entityId }));
  }

  async upsert(caller: Caller, entityId: string, body: unknown): Promise<void> {
    requireWrapper(body, 'grant');
    const input = readGrantRequest(body);
    const target = await this.entityService.visible(caller, entityId);
    await this.checkGrantee(target, input.grantee);
    const permissions = await this.permissionsFor(target, input);
    const events = [entityChanged(target.id)];
    if ('recipientEntityId' in input.grantee)
      events.push(entityChanged(input.grantee.recipientEntityId));
    await announcedAfter(this.hub, events, () => this.write(target, input, permissions));
  }

  /** Inserts, or updates the grant already there (also one another replica just inserted). */
  private async write(target: EntityRow, input: GrantInput, permissions: string[]) {
    const now = Date.now();
    const existing = await this.grants.find(target.id, input.grantee);
    const update = (row: EntityGrantRow) =>
      this.grants.update({ ...row, permissions, data: input.data, lastUpdateInstant: now });
    if (existing !== null) return update(existing);
    try {
      await this.grants.insert({
        id: newId(),
        entityId: target.id,
        recipientEntityId: null,
        userId: null,
        ...input.grantee,
        permissions,
        data: input.data,
        insertInstant: now,
        lastUpdateInstant: now,
      });
    } catch (error) {
      const raced = isUniqueViolation(error)
        ? await this.grants.find(target.id, input.grantee)
        : null;
      if (raced === null) throw error;
      await update(raced);
    }
  }

  private async checkGrantee(target: EntityRow, grantee: Grantee): Promise<void> {
    if ('recipientEntityId' in grantee) {
      if ((await this.entities.getById(target.tenantId, grantee.recipientEntityId)) === null)
        throw ApiError.field(
          'invalid',
          'grant.recipientEntityId',
          `No entity of the target's tenant has the id [${grantee.recipientEntityId}].`,
        );
    } else if ((await this.users.getById(target.tenantId, grantee.userId)) === null) {
      throw ApiError.field(
        'invalid',
        'grant.userId',
        `No user of the target's tenant has the id [${grantee.userId}].`,
      );
    }
  }

  /** The names asked for, each defined by the target's type; none asked: the type's defaults. */
  private async permissionsFor(target: EntityRow, input: GrantInput): Promise<string[]> {
    const defined = await this.types.permissionsOf([target.typeId]);
    if (input.permissions === null)
      return defined.filter((permission) => permission.isDefault).map((p) => p.name);
    const names = new Set(defined.map((permission) => permission.name));
    const unknown = input.permissions.filter((name) => !names.has(name));
    if (unknown.length > 0) {
      throw ApiError.field(
        'invalid',
        'grant.permissions',
        `The target's entity type defines no permission named [${unknown[0].slice(0, 191)}].`,
      );
    }
    return input.permissions;
  }

  /** One grant (`{grant}`, or 404), or every grant the entity gave (`{grants}`). */
  async retrieve(caller: Caller, entityId: string, grantee: Grantee | null): Promise<JsonObject> {
    const target = await this.entityService.visible(caller, entityId);
    if (grantee === null)
      return { grants: await this.render(await this.grants.listForEntity(target.id)) };
    const row = await this.grants.find(target.id, grantee);
    if (row === null) throw EmptyResponse.notFound;
    return { grant: (await this.render([row]))[0] };
  }

  async delete(caller: Caller, entityId: string, grantee: Grantee): Promise<void> {
    const target = await this.entityService.visible(caller, entityId);
    const row = await this.grants.find(target.id, grantee);
    if (row === null) throw EmptyResponse.notFound;
    const events = [entityChanged(target.id)];
    if (row.recipientEntityId !== null) events.push(entityChanged(row.recipientEntityId));
    await announcedAfter(this.hub, events, () => this.grants.delete(row));
  }

  async search(caller: Caller, criteria: GrantSearch): Promise<JsonObject> {
    const page = await this.grants.search(caller.tenantId, criteria);
    return { grants: await this.render(page.rows), total: page.total };
  }
}

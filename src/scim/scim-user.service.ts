import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '../auth/principal';
import { JsonObject } from '../common/fields';
import { parseUuid } from '../common/uuid';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { userToJson } from '../user/user.dto';
import { UserEntity } from '../user/user.entity';
import { UserRepository } from '../user/user.repository';
import { UserService } from '../user/user.service';
import { ScimError } from './scim.error';
import { Filter } from './scim.filter';
import {
  filteredPage,
  listResponse,
  MAX_FILTERED,
  requireResourceId,
  ScimListQuery,
  tooMany,
} from './scim.list';
import { applyPatchOps } from './scim.patch';
import { scimBase, scimTenant } from './scim.tenant';
import {
  readScimUser,
  ScimUserInput,
  scimUserOf,
  USER_PATCHABLE,
  userRequestOf,
} from './scim-user.mapper';

/**
 * SCIM Users over the tenant's users. Every change goes through the UserService, so its
 * rules (uniqueness, password policy) hold and `user.changed` is announced.
 */
@Injectable()
export class ScimUserService {
  constructor(
    private readonly users: UserService,
    private readonly repository: UserRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async entity(caller: Caller, id: string): Promise<UserEntity> {
    const entity = await this.users.find(caller, requireResourceId(id, 'User'));
    if (entity === null) throw ScimError.notFound('User', id);
    return entity;
  }

  async retrieve(caller: Caller, requestBase: string, id: string): Promise<JsonObject> {
    scimTenant(caller);
    return scimUserOf(
      userToJson(await this.entity(caller, id)),
      scimBase(this.config, requestBase),
    );
  }

  async list(caller: Caller, requestBase: string, query: ScimListQuery): Promise<JsonObject> {
    const tenantId = scimTenant(caller);
    const base = scimBase(this.config, requestBase);
    if (query.filter === null) return this.page(tenantId, base, query);
    let rows = await this.indexed(tenantId, query.filter);
    if (rows === null) {
      rows = await this.repository.listInTenant(tenantId, MAX_FILTERED + 1);
      if (rows.length > MAX_FILTERED) throw tooMany();
    }
    return filteredPage(
      rows.map((row) => scimUserOf(userToJson(row), base)),
      query,
    );
  }

  /** No filter: the page is read in SQL. */
  private async page(tenantId: string, base: string, query: ScimListQuery): Promise<JsonObject> {
    const page = await this.repository.search(tenantId, {
      ids: null,
      pattern: null,
      sort: [],
      startRow: query.startIndex - 1,
      // A count of 0 asks for the total alone.
      numberOfResults: Math.max(1, query.count),
    });
    const rows = query.count === 0 ? [] : page.rows;
    return listResponse(
      rows.map((row) => scimUserOf(userToJson(row), base)),
      page.total,
      query.startIndex,
    );
  }

  /**
   * The candidates an indexed lookup finds for the filter (null: none applies). The filter
   * is still evaluated over them, so they may be a superset.
   */
  private async indexed(tenantId: string, filter: Filter): Promise<UserEntity[] | null> {
    if (filter.kind === 'and')
      return (await this.indexed(tenantId, filter.left)) ?? this.indexed(tenantId, filter.right);
    if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string')
      return null;
    const { attr, sub } = filter.path;
    const value = filter.value;
    const found: (UserEntity | null)[] = [];
    if (attr === 'id' && sub === null) {
      const id = parseUuid(value);
      found.push(id === null ? null : await this.repository.getById(tenantId, id));
    } else if (attr === 'username' && sub === null) {
      // A user without a username shows its email as its userName.
      found.push(await this.repository.findByUsername(tenantId, value));
      found.push(await this.repository.findByEmail(tenantId, value));
    } else if (attr === 'emails' && (sub === null || sub === 'value')) {
      found.push(await this.repository.findByEmail(tenantId, value));
    } else {
      return null;
    }
    const unique = new Map(found.flatMap((row) => (row === null ? [] : [[row.id, row] as const])));
    return [...unique.values()];
  }

  async create(caller: Caller, requestBase: string, body: unknown): Promise<JsonObject> {
    scimTenant(caller);
    const input = readScimUser(body);
    const created = await this.users.create(caller, null, userRequestOf(input, null));
    const id = String((created.user as JsonObject).id);
    if (input.active === false) await this.users.delete(caller, id, false);
    return this.retrieve(caller, requestBase, id);
  }

  async replace(caller: Caller, requestBase: string, id: string, body: unknown) {
    scimTenant(caller);
    return this.store(caller, requestBase, await this.entity(caller, id), readScimUser(body));
  }

  async patch(caller: Caller, requestBase: string, id: string, body: unknown) {
    scimTenant(caller);
    const entity = await this.entity(caller, id);
    const current = scimUserOf(userToJson(entity), scimBase(this.config, requestBase));
    const patched = applyPatchOps(current, body, USER_PATCHABLE);
    return this.store(caller, requestBase, entity, readScimUser(patched));
  }

  async delete(caller: Caller, id: string): Promise<void> {
    scimTenant(caller);
    const entity = await this.entity(caller, id);
    await this.users.delete(caller, entity.id, true);
  }

  /** A replace; `active` changes by deactivating or reactivating, which ends or restores sign-in. */
  private async store(
    caller: Caller,
    requestBase: string,
    entity: UserEntity,
    input: ScimUserInput,
  ): Promise<JsonObject> {
    await this.users.update(caller, entity.id, userRequestOf(input, userToJson(entity)));
    if (input.active === true && !entity.active) await this.users.reactivate(caller, entity.id);
    if (input.active === false && entity.active) await this.users.delete(caller, entity.id, false);
    return this.retrieve(caller, requestBase, entity.id);
  }
}

import { Injectable } from '@nestjs/common';
import { mayChangeIpAcl } from '../api-key/api-key.authority';
import { ApiKeyRepository } from '../api-key/api-key.repository';
import { Caller, callerKey } from '../auth/principal';
import { ApiError, EmptyResponse } from '../common/api-error';
import { JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { GlobalNameSearch } from '../common/search';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { ApplicationRepository } from '../application/application.repository';
import { ChangeHub } from '../key-cache/change.hub';
import { TenantRepository } from '../tenant/tenant.repository';
import { IpAclDirectory } from './ip-acl.directory';
import { ipAclToJson, readIpAclRequest } from './ip-acl.dto';
import { IpAclEntity } from './ip-acl.entity';
import { IpAclRepository } from './ip-acl.repository';

/**
 * IP access control lists. The endpoints are global-only, so every caller sees every
 * list; changing one takes authority over the keys bound to it. A change is applied to
 * this replica's view before the answer (read-your-writes), then announced to the others.
 */
@Injectable()
export class IpAclService {
  constructor(
    private readonly lists: IpAclRepository,
    private readonly keys: ApiKeyRepository,
    private readonly directory: IpAclDirectory,
    private readonly hub: ChangeHub,
    private readonly tenants: TenantRepository,
    private readonly applications: ApplicationRepository,
  ) {}

  private async existing(id: string): Promise<IpAclEntity> {
    const entity = await this.lists.getById(id);
    if (entity === null) throw EmptyResponse.notFound;
    return entity;
  }

  async retrieve(id: string): Promise<JsonObject> {
    return { ipAccessControlList: ipAclToJson(await this.existing(id)) };
  }

  async search(criteria: GlobalNameSearch): Promise<JsonObject> {
    const page = await this.lists.search(criteria.name, criteria);
    return { ipAccessControlLists: page.rows.map(ipAclToJson), total: page.total };
  }

  async create(id: string | null, body: unknown): Promise<JsonObject> {
    const input = readIpAclRequest(body);
    if (id !== null && (await this.lists.exists(id)))
      throw ApiError.field('duplicate', 'ipAccessControlListId');
    const now = Date.now();
    const entity: IpAclEntity = {
      id: id ?? newId(),
      ...input,
      insertInstant: now,
      lastUpdateInstant: now,
    };
    await this.checkName(entity);
    await this.write(() => this.lists.insert(entity), entity);
    await this.changed(entity.id);
    return { ipAccessControlList: ipAclToJson(entity) };
  }

  /**
   * A list the caller may change: not the one it is bound to, nor one bound to a key
   * beyond its authority (401, as for any call a key lacks the authority for).
   */
  private async changeable(caller: Caller, id: string): Promise<IpAclEntity> {
    const entity = await this.existing(id);
    if (!mayChangeIpAcl(callerKey(caller), id, await this.keys.boundToIpAcl(id)))
      throw EmptyResponse.unauthorized;
    return entity;
  }

  async update(caller: Caller, id: string, body: unknown): Promise<JsonObject> {
    return this.replace(await this.changeable(caller, id), body);
  }

  async patch(caller: Caller, id: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const entity = await this.changeable(caller, id);
    return this.replace(
      entity,
      applyPatch({ ipAccessControlList: ipAclToJson(entity) }, body, mode),
    );
  }

  private async replace(entity: IpAclEntity, body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'ipAccessControlList');
    const { id } = entity;
    const updated: IpAclEntity = {
      ...entity,
      ...readIpAclRequest(body),
      lastUpdateInstant: Date.now(),
    };
    await this.checkName(updated);
    await this.write(() => this.lists.save(updated), updated);
    await this.changed(id);
    return { ipAccessControlList: ipAclToJson(updated) };
  }

  /**
   * FusionAuth refuses to delete a list still in use; here, one that a key, a tenant or
   * an application names (a reference must name a list).
   */
  async delete(caller: Caller, id: string): Promise<void> {
    await this.changeable(caller, id);
    const inUse =
      (await this.keys.usesIpAcl(id)) ||
      (await this.tenants.namesUiIpAcl(id)) ||
      (await this.applications.namesUiIpAcl(id));
    if (inUse) throw ApiError.general('ipAccessControlListInUse');
    await this.lists.delete(id);
    await this.changed(id);
  }

  private async changed(id: string): Promise<void> {
    await this.directory.reload(id);
    await this.hub.announce({ type: 'ipAcl.changed', ipAccessControlListId: id });
  }

  private async checkName(entity: IpAclEntity): Promise<void> {
    const holder = await this.lists.findByName(entity.name);
    if (holder !== null && holder.id !== entity.id)
      throw ApiError.field('duplicate', 'ipAccessControlList.name');
  }

  /** A write that lost a uniqueness race to another replica reads as the duplicate it is. */
  private async write(work: () => Promise<void>, entity: IpAclEntity): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.checkName(entity);
      throw ApiError.field('duplicate', 'ipAccessControlListId');
    }
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, pageOf, Paging, whereNameLike } from '../common/search';
import { uiIpAclPattern } from '../ip-acl/ip-acl.reference';
import { RegistrationEntity } from '../registration/registration.entity';
import { ApplicationEntity, ApplicationRoleEntity } from './application.entity';

/**
 * Applications and their roles. Every read of an application is confined to a tenant:
 * `scope` is the caller's tenant, or null for a global caller asking by id.
 */
@Injectable()
export class ApplicationRepository {
  private readonly applications: Repository<ApplicationEntity>;
  private readonly roles: Repository<ApplicationRoleEntity>;

  constructor(readonly dataSource: DataSource) {
    this.applications = dataSource.getRepository(ApplicationEntity);
    this.roles = dataSource.getRepository(ApplicationRoleEntity);
  }

  async namesUiIpAcl(ipAccessControlListId: string): Promise<boolean> {
    const count = await this.applications
      .createQueryBuilder('application')
      .where('application.configuration LIKE :pattern', {
        pattern: uiIpAclPattern(ipAccessControlListId),
      })
      .getCount();
    return count > 0;
  }

  /** `tenantId` null: any tenant (a global caller asking by id). */
  getById(tenantId: string | null, id: string): Promise<ApplicationEntity | null> {
    return this.applications.findOneBy(tenantId === null ? { id } : { id, tenantId });
  }

  /** Applications whose configuration holds the id anywhere, in any tenant; the caller checks where. */
  mentioning(id: string): Promise<ApplicationEntity[]> {
    return this.applications
      .createQueryBuilder('a')
      .where('a.configuration LIKE :pattern', { pattern: `%${id}%` })
      .getMany();
  }

  /** The application and its roles (by name), in one query; `tenantId` null: any tenant. */
  async getWithRoles(
    tenantId: string | null,
    id: string,
  ): Promise<{ application: ApplicationEntity; roles: ApplicationRoleEntity[] } | null> {
    const query = this.applications
      .createQueryBuilder('a')
      .leftJoinAndMapMany('a.roles', ApplicationRoleEntity, 'r', 'r.applicationId = a.id')
      .where('a.id = :id', { id })
      .orderBy('r.name', 'ASC');
    if (tenantId !== null) query.andWhere('a.tenantId = :tenantId', { tenantId });
    const found = (await query.getOne()) as
      (ApplicationEntity & { roles: ApplicationRoleEntity[] }) | null;
    if (found === null) return null;
    const { roles, ...application } = found;
    return { application, roles };
  }

  rolesOf(applicationId: string): Promise<ApplicationRoleEntity[]> {
    return this.roles.find({ where: { applicationId }, order: { name: 'ASC' } });
  }

  rolesOfMany(applicationIds: string[]): Promise<ApplicationRoleEntity[]> {
    if (applicationIds.length === 0) return Promise.resolve([]);
    return this.roles.find({
      where: { applicationId: In(applicationIds) },
      order: { name: 'ASC' },
    });
  }

  rolesByIds(roleIds: string[]): Promise<ApplicationRoleEntity[]> {
    if (roleIds.length === 0) return Promise.resolve([]);
    return this.roles.findBy({ id: In(roleIds) });
  }

  /** The roles among `roleIds` that belong to an application of the tenant. */
  rolesInTenant(tenantId: string, roleIds: string[]): Promise<ApplicationRoleEntity[]> {
    if (roleIds.length === 0) return Promise.resolve([]);
    return this.tenantRoles(tenantId).andWhere('r.id IN (:...roleIds)', { roleIds }).getMany();
  }

  /** Active or inactive applications, by name. */
  list(scope: string | null, active: boolean): Promise<ApplicationEntity[]> {
    return this.applications.find({
      where: scope === null ? { active } : { active, tenantId: scope },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  search(
    scope: string | null,
    pattern: string | null,
    paging: Paging,
  ): Promise<Page<ApplicationEntity>> {
    const query = this.applications.createQueryBuilder('a');
    if (scope !== null) query.andWhere('a.tenantId = :scope', { scope });
    whereNameLike(query, 'a.name', pattern);
    return pageOf(query.orderBy('a.name', 'ASC').addOrderBy('a.id', 'ASC'), paging);
  }

  async insert(entity: ApplicationEntity, roles: ApplicationRoleEntity[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(ApplicationEntity)
        .insert(entity as QueryDeepPartialEntity<ApplicationEntity>);
      if (roles.length > 0) await manager.getRepository(ApplicationRoleEntity).insert(roles);
    });
  }

  async save(tenantId: string, entity: ApplicationEntity): Promise<void> {
    await this.applications.update(
      { id: entity.id, tenantId },
      entity as QueryDeepPartialEntity<ApplicationEntity>,
    );
  }

  /** Permanent: the database cascades to its roles and registrations. */
  async delete(tenantId: string, id: string): Promise<void> {
    await this.applications.delete({ id, tenantId });
  }

  getRole(
    tenantId: string,
    applicationId: string,
    roleId: string,
  ): Promise<ApplicationRoleEntity | null> {
    return this.tenantRoles(tenantId)
      .andWhere('r.applicationId = :applicationId AND r.id = :roleId', { applicationId, roleId })
      .getOne();
  }

  findRoleByName(
    tenantId: string,
    applicationId: string,
    name: string,
  ): Promise<ApplicationRoleEntity | null> {
    return this.tenantRoles(tenantId)
      .andWhere('r.applicationId = :applicationId AND r.name = :name', { applicationId, name })
      .getOne();
  }

  /** `tenantId` is the role's application's: the caller has already found it there. */
  async insertRole(tenantId: string, role: ApplicationRoleEntity): Promise<void> {
    if ((await this.getById(tenantId, role.applicationId)) === null)
      throw new Error('a role was written to an application outside its tenant');
    await this.roles.insert(role);
  }

  async saveRole(tenantId: string, role: ApplicationRoleEntity): Promise<void> {
    if ((await this.getRole(tenantId, role.applicationId, role.id)) === null)
      throw new Error('a role was written to an application outside its tenant');
    await this.roles.save(role);
  }

  /**
   * Removes the role, and its name from every registration holding it: a role created
   * later under the same name must not inherit the old grants.
   */
  async deleteRole(tenantId: string, role: ApplicationRoleEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(ApplicationRoleEntity)
        .delete({ id: role.id, applicationId: role.applicationId });
      await this.revokeRoleName(manager, tenantId, role);
    });
  }

  private async revokeRoleName(
    manager: EntityManager,
    tenantId: string,
    role: ApplicationRoleEntity,
  ): Promise<void> {
    const registrations = manager.getRepository(RegistrationEntity);
    const holders = await registrations.find({
      select: { id: true, roles: true },
      where: { tenantId, applicationId: role.applicationId },
    });
    for (const holder of holders.filter((row) => row.roles.includes(role.name))) {
      await registrations.update(
        { id: holder.id },
        { roles: holder.roles.filter((name) => name !== role.name) },
      );
    }
  }

  private tenantRoles(tenantId: string) {
    return this.roles
      .createQueryBuilder('r')
      .innerJoin(ApplicationEntity, 'a', 'a.id = r.applicationId')
      .where('a.tenantId = :tenantId', { tenantId })
      .orderBy('r.name', 'ASC');
  }
}

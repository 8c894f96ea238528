import { Injectable } from '@nestjs/common';
import { DataSource, In, Repository } from 'typeorm';
import { ApplicationEntity, ApplicationRoleEntity } from './application.entity';

/** Applications and their roles. Every read of an application is confined to a tenant. */
@Injectable()
export class ApplicationRepository {
  private readonly applications: Repository<ApplicationEntity>;
  private readonly roles: Repository<ApplicationRoleEntity>;

  constructor(readonly dataSource: DataSource) {
    this.applications = dataSource.getRepository(ApplicationEntity);
    this.roles = dataSource.getRepository(ApplicationRoleEntity);
  }

  /** `tenantId` null: any tenant (a global caller asking by id). */
  getById(tenantId: string | null, id: string): Promise<ApplicationEntity | null> {
    return this.applications.findOneBy(tenantId === null ? { id } : { id, tenantId });
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
}

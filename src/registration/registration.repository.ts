import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { RegistrationEntity } from './registration.entity';

/** Registrations of users to applications, each confined to the user's tenant. */
@Injectable()
export class RegistrationRepository {
  private readonly registrations: Repository<RegistrationEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.registrations = dataSource.getRepository(RegistrationEntity);
  }

  get(tenantId: string, userId: string, applicationId: string): Promise<RegistrationEntity | null> {
    return this.registrations.findOneBy({ tenantId, userId, applicationId });
  }

  /**
   * A read by the caller's scope alone (null: any tenant): a registration is in its user's
   * tenant, so finding it also proves the user visible, in one query.
   */
  getVisible(
    scope: string | null,
    userId: string,
    applicationId: string,
  ): Promise<RegistrationEntity | null> {
    return this.registrations.findOneBy(
      scope === null ? { userId, applicationId } : { tenantId: scope, userId, applicationId },
    );
  }

  /** `scope` null: whatever tenant the users are in (a global caller). */
  listForUsers(scope: string | null, userIds: string[]): Promise<RegistrationEntity[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    const userId = In(userIds);
    return this.registrations.find({
      where: scope === null ? { userId } : { userId, tenantId: scope },
      order: { insertInstant: 'ASC', id: 'ASC' },
    });
  }

  async insert(
    entity: RegistrationEntity,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager
      .getRepository(RegistrationEntity)
      .insert(entity as QueryDeepPartialEntity<RegistrationEntity>);
  }

  async recordLogin(tenantId: string, id: string, instant: number): Promise<void> {
    await this.registrations.update({ tenantId, id }, { lastLoginInstant: instant });
  }

  async save(entity: RegistrationEntity): Promise<void> {
    await this.registrations.save(entity);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.registrations.delete({ tenantId, id });
  }
}

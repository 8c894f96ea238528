import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/principal';
import { ApiError, EmptyResponse } from '../common/api-error';
import { JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { isUniqueViolation } from '../database/database.errors';
import { readRoleRequest, roleToJson } from './application.dto';
import { ApplicationEntity, ApplicationRoleEntity } from './application.entity';
import { ApplicationRepository } from './application.repository';
import { ApplicationService, newRole } from './application.service';

/**
 * The roles of an application. A role's name is fixed once made: registrations hold
 * roles by name, so a rename would silently take a role away from every holder.
 */
@Injectable()
export class ApplicationRoleService {
  constructor(
    private readonly applications: ApplicationService,
    private readonly repository: ApplicationRepository,
  ) {}

  private async visibleRole(
    caller: Caller,
    applicationId: string,
    roleId: string,
  ): Promise<{ application: ApplicationEntity; role: ApplicationRoleEntity }> {
    const application = await this.applications.visible(caller, applicationId);
    const role = await this.repository.getRole(application.tenantId, application.id, roleId);
    if (role === null) throw EmptyResponse.notFound;
    return { application, role };
  }

  async create(
    caller: Caller,
    applicationId: string,
    roleId: string | null,
    body: unknown,
  ): Promise<JsonObject> {
    const application = await this.applications.visible(caller, applicationId);
    const input = readRoleRequest(body);
    if (roleId !== null && (await this.repository.rolesByIds([roleId])).length > 0)
      throw ApiError.field('duplicate', 'roleId');
    const { tenantId, id } = application;
    if ((await this.repository.findRoleByName(tenantId, id, input.name)) !== null)
      throw ApiError.field('duplicate', 'role.name');
    const role = newRole(id, input, { id: roleId ?? undefined });
    try {
      await this.repository.insertRole(tenantId, role);
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.field('duplicate', 'role.name');
      throw error;
    }
    return { role: roleToJson(role) };
  }

  async update(
    caller: Caller,
    applicationId: string,
    roleId: string,
    body: unknown,
  ): Promise<JsonObject> {
    requireWrapper(body, 'role');
    const { application, role } = await this.visibleRole(caller, applicationId, roleId);
    const input = readRoleRequest(body);
    if (input.name !== role.name) {
      throw ApiError.field(
        'notAllowed',
        'role.name',
        'The [role.name] cannot be changed: registrations hold roles by name.',
      );
    }
    const updated: ApplicationRoleEntity = { ...role, ...input, lastUpdateInstant: Date.now() };
    await this.repository.saveRole(application.tenantId, updated);
    return { role: roleToJson(updated) };
  }

  async patch(
    caller: Caller,
    applicationId: string,
    roleId: string,
    body: unknown,
    mode: PatchMode,
  ): Promise<JsonObject> {
    const { role } = await this.visibleRole(caller, applicationId, roleId);
    const merged = applyPatch({ role: roleToJson(role) }, body, mode);
    return this.update(caller, applicationId, roleId, merged);
  }

  async delete(caller: Caller, applicationId: string, roleId: string): Promise<void> {
    const { application, role } = await this.visibleRole(caller, applicationId, roleId);
    await this.repository.deleteRole(application.tenantId, role);
  }

  /** `DELETE /api/application/{id}/role?name=`. */
  async deleteByName(caller: Caller, applicationId: string, name: string | null): Promise<void> {
    if (name === null) throw ApiError.field('missing', 'name');
    const application = await this.applications.visible(caller, applicationId);
    const role = await this.repository.findRoleByName(application.tenantId, application.id, name);
    if (role === null) throw EmptyResponse.notFound;
    await this.repository.deleteRole(application.tenantId, role);
  }
}

import { Injectable } from '@nestjs/common';
import { ApplicationRepository } from '../application/application.repository';
import { Caller } from '../auth/principal';
import { requireTenant } from '../auth/tenant-requirement';
import { ApiError, EmptyResponse, FieldErrors } from '../common/api-error';
import { Fields, JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { RefreshTokenService } from '../refresh-token/refresh-token.service';
import { TenantDirectory } from '../tenant/tenant.directory';
import { readUserRequest } from '../user/user.dto';
import { UserEntity } from '../user/user.entity';
import { UserService } from '../user/user.service';
import { readRegistrationRequest, RegistrationInput, registrationToJson } from './registration.dto';
import { RegistrationEntity } from './registration.entity';
import { RegistrationRepository } from './registration.repository';

function duplicate(applicationId: string): ApiError {
  return ApiError.field(
    'duplicate',
    'registration',
    `The User is already registered to the Application with Id [${applicationId}].`,
  );
}

/**
 * Registrations of users to applications. The user is found by id in the caller's
 * tenant (404 otherwise); the application must be of the user's tenant, and every role
 * named must be one of its roles.
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly registrations: RegistrationRepository,
    private readonly users: UserService,
    private readonly applications: ApplicationRepository,
    private readonly tenants: TenantDirectory,
    private readonly sessions: RefreshTokenService,
  ) {}

  /**
   * Registers an existing user; or, when the body also holds a `user` (or no user id is
   * given), creates the user and the registration together, in one transaction.
   */
  async register(caller: Caller, userId: string | null, body: unknown): Promise<JsonObject> {
    const existing = userId === null ? null : await this.users.find(caller, userId);
    if (existing !== null) return this.registerExisting(existing, body);
    if (userId !== null && !Fields.root(body, 'registration').top.has('user'))
      throw EmptyResponse.notFound;
    return this.registerNew(caller, userId, body);
  }

  async retrieve(caller: Caller, userId: string, applicationId: string): Promise<JsonObject> {
    const entity = await this.registrations.getVisible(caller.tenantId, userId, applicationId);
    if (entity === null) throw EmptyResponse.notFound;
    return { registration: registrationToJson(entity) };
  }

  /** Full replace of the registration named by `registration.applicationId`. */
  async update(caller: Caller, userId: string, body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'registration');
    const user = await this.users.visible(caller, userId);
    const input = this.read(body);
    const entity = await this.existing(user, input.applicationId);
    await this.checkApplication(user.tenantId, input);
    const updated: RegistrationEntity = {
      ...entity,
      roles: input.roles,
      username: input.username,
      data: input.data,
      details: input.details,
      verified: entity.verified || input.skipVerification,
      lastUpdateInstant: Date.now(),
    };
    await this.registrations.save(updated);
    return { registration: registrationToJson(updated) };
  }

  async patch(caller: Caller, userId: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const user = await this.users.visible(caller, userId);
    const { inner } = Fields.root(body, 'registration');
    const applicationId = inner.uuid('applicationId');
    if (applicationId === null && !inner.errors.has())
      inner.errors.add('blank', 'registration.applicationId');
    inner.errors.throwIfAny();
    const entity = await this.existing(user, applicationId!);
    const merged = applyPatch({ registration: registrationToJson(entity) }, body, mode);
    return this.update(caller, userId, merged);
  }

  async delete(caller: Caller, userId: string, applicationId: string): Promise<void> {
    const user = await this.users.visible(caller, userId);
    const entity = await this.existing(user, applicationId);
    await this.registrations.delete(user.tenantId, entity.id);
    // As FusionAuth: a user no longer registered keeps no session with the application.
    await this.sessions.revoke({ tenantId: user.tenantId, userId, applicationId });
  }

  private async registerExisting(user: UserEntity, body: unknown): Promise<JsonObject> {
    const input = this.read(body);
    await this.checkApplication(user.tenantId, input);
    if ((await this.registrations.get(user.tenantId, user.id, input.applicationId)) !== null)
      throw duplicate(input.applicationId);
    const entity = this.newEntity(user, input);
    try {
      await this.registrations.insert(entity);
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate(input.applicationId);
      throw error;
    }
    return { registration: registrationToJson(entity) };
  }

  private async registerNew(
    caller: Caller,
    userId: string | null,
    body: unknown,
  ): Promise<JsonObject> {
    const tenantId = requireTenant(caller, this.tenants);
    const errors = new FieldErrors();
    const rules = await this.users.passwordRules(tenantId);
    const userRequest = readUserRequest(body, true, errors, rules);
    const input = readRegistrationRequest(body, errors);
    errors.throwIfAny();
    await this.checkApplication(tenantId, input);
    let registration: RegistrationEntity | null = null;
    const user = await this.users.createUser(tenantId, userId, userRequest, (created, manager) => {
      registration = this.newEntity(created, input);
      return this.registrations.insert(registration, manager);
    });
    return {
      registration: registrationToJson(registration!),
      user: await this.users.render(user),
    };
  }

  private read(body: unknown): RegistrationInput {
    const errors = new FieldErrors();
    const input = readRegistrationRequest(body, errors);
    errors.throwIfAny();
    return input;
  }

  private async existing(user: UserEntity, applicationId: string): Promise<RegistrationEntity> {
    const entity = await this.registrations.get(user.tenantId, user.id, applicationId);
    if (entity === null) throw EmptyResponse.notFound;
    return entity;
  }

  /** The application is one of the tenant's, and it has every role named. */
  private async checkApplication(tenantId: string, input: RegistrationInput): Promise<void> {
    const application = await this.applications.getById(tenantId, input.applicationId);
    if (application === null) {
      throw ApiError.field(
        'invalid',
        'registration.applicationId',
        `No Application with Id [${input.applicationId}] exists.`,
      );
    }
    const known = new Set((await this.applications.rolesOf(application.id)).map((r) => r.name));
    const unknown = input.roles.filter((role) => !known.has(role));
    if (unknown.length > 0) {
      throw ApiError.field(
        'invalid',
        'registration.roles',
        `The Application has no role named ${unknown.map((role) => `[${role}]`).join(', ')}.`,
      );
    }
  }

  private newEntity(user: UserEntity, input: RegistrationInput): RegistrationEntity {
    const now = Date.now();
    return {
      id: newId(),
      userId: user.id,
      applicationId: input.applicationId,
      tenantId: user.tenantId,
      roles: input.roles,
      username: input.username,
      data: input.data,
      details: input.details,
      verified: input.skipVerification,
      insertInstant: now,
      lastUpdateInstant: now,
      lastLoginInstant: null,
    };
  }
}

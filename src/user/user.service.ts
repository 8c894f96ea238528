import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Caller, callerUser } from '../auth/principal';
import { requireTenant } from '../auth/tenant-requirement';
import { EmptyResponse, FieldErrors } from '../common/api-error';
import { JsonObject, requireWrapper } from '../common/fields';
import { applyPatch, PatchMode } from '../common/merge-patch';
import { newId } from '../common/uuid';
import { isUniqueViolation } from '../database/database.errors';
import { GroupMemberService } from '../group/group-member.service';
import { memberToJson } from '../group/group.dto';
import { PasswordPolicy } from '../password/password.policy';
import { PasswordValidationRules } from '../password/password.rules';
import { registrationToJson } from '../registration/registration.dto';
import { RegistrationRepository } from '../registration/registration.repository';
import { TenantDirectory } from '../tenant/tenant.directory';
import { readUserRequest, UserRequest, userToJson } from './user.dto';
import { UserEntity } from './user.entity';
import { UserLookup } from './user.lookup';
import { ChangeHub } from '../key-cache/change.hub';
import { RefreshTokenService } from '../refresh-token/refresh-token.service';
import { UserReader, UserView } from './user.reader';
import { UserRepository } from './user.repository';
import { UserSearch } from './user.search';

/** Work done in the transaction that inserts a new user (its first registration). */
export type Alongside = (user: UserEntity, manager: EntityManager) => Promise<void>;

/** The user as FusionAuth shows it, registrations and memberships included. */
function viewToJson({ user, registrations, memberships }: UserView): JsonObject {
  return userToJson(user, {
    registrations: registrations.map(registrationToJson),
    memberships: memberships.map(memberToJson),
  });
}

function groupBy<T extends { userId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.userId, [...(groups.get(row.userId) ?? []), row]);
  return groups;
}

/**
 * The User API. A user by id is found in the caller's tenant (another tenant's is 404);
 * creates and lookups by email, username or login id act in `requireTenant`'s tenant.
 */
@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly reader: UserReader,
    private readonly registrations: RegistrationRepository,
    private readonly passwords: PasswordPolicy,
    private readonly tenants: TenantDirectory,
    private readonly members: GroupMemberService,
    private readonly hub: ChangeHub,
    private readonly sessions: RefreshTokenService,
  ) {}

  /**
   * Announced even when the write fails (it may have committed): a user deactivated or
   * deleted must lose its JWTs on every replica, and an announcement only makes them look.
   */
  private async announcing(userId: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } finally {
      await this.hub.announce({ type: 'user.changed', userId });
    }
  }

  /** The user, when the caller may see it; null otherwise. */
  find(caller: Caller, id: string): Promise<UserEntity | null> {
    return this.users.getById(caller.tenantId, id);
  }

  async visible(caller: Caller, id: string): Promise<UserEntity> {
    const entity = await this.find(caller, id);
    if (entity === null) throw EmptyResponse.notFound;
    return entity;
  }

  async retrieve(caller: Caller, id: string): Promise<JsonObject> {
    const view = await this.reader.byId(caller.tenantId, id);
    if (view === null) throw EmptyResponse.notFound;
    return { user: viewToJson(view) };
  }

  /** The JWT's own user; a lookup query beside the token is ignored (the token's `sub` decides). */
  retrieveSelf(caller: Caller): Promise<JsonObject> {
    return this.retrieve(caller, callerUser(caller).userId);
  }

  async retrieveBy(caller: Caller, lookup: UserLookup): Promise<JsonObject> {
    const tenantId = requireTenant(caller, this.tenants);
    const view = await this.reader.byLoginId(tenantId, lookup.value, lookup.types);
    if (view === null) throw EmptyResponse.notFound;
    return { user: viewToJson(view) };
  }

  /** The rules a new password of this tenant's users must meet. */
  passwordRules(tenantId: string): Promise<PasswordValidationRules> {
    return this.passwords.rulesOf(tenantId);
  }

  async search(caller: Caller, criteria: UserSearch): Promise<JsonObject> {
    const page = await this.users.search(caller.tenantId, criteria);
    return { users: await this.renderAll(caller.tenantId, page.rows), total: page.total };
  }

  async create(caller: Caller, id: string | null, body: unknown): Promise<JsonObject> {
    const tenantId = requireTenant(caller, this.tenants);
    const errors = new FieldErrors();
    const request = readUserRequest(body, true, errors, await this.passwordRules(tenantId));
    errors.throwIfAny();
    return { user: await this.render(await this.createUser(tenantId, id, request)) };
  }

  /**
   * Stores a validated new user and adds it to the groups it names (`user.memberships`);
   * `alongside` runs in the same transaction, so a failure leaves nothing behind.
   */
  async createUser(
    tenantId: string,
    id: string | null,
    request: UserRequest,
    alongside?: Alongside,
  ): Promise<UserEntity> {
    const now = Date.now();
    const entity: UserEntity = {
      id: id ?? newId(),
      tenantId,
      ...request.user,
      passwordHash: null,
      active: true,
      verified: request.skipVerification,
      insertInstant: now,
      lastUpdateInstant: now,
      lastLoginInstant: null,
      passwordLastUpdateInstant: null,
    };
    const conflicts = () => this.newUserConflicts(entity, id !== null, request);
    (await conflicts()).throwIfAny();
    if (request.password !== null)
      Object.assign(entity, await this.passwordFields(request.password, now));
    await this.write(
      () =>
        this.users.transaction(async (manager) => {
          await this.users.insert(entity, manager);
          await this.members.addNewUser(entity, request.memberships, manager);
          await alongside?.(entity, manager);
        }),
      conflicts,
    );
    return entity;
  }

  /**
   * Full replace of the profile; the password is kept when none is given, and a new one
   * is held to the tenant's rules, remembered passwords included.
   */
  async update(caller: Caller, id: string, body: unknown): Promise<JsonObject> {
    requireWrapper(body, 'user');
    const entity = await this.visible(caller, id);
    const rules = await this.passwordRules(entity.tenantId);
    const errors = new FieldErrors();
    const request = readUserRequest(body, false, errors, rules);
    errors.throwIfAny();
    const now = Date.now();
    const updated: UserEntity = {
      ...entity,
      ...request.user,
      verified: entity.verified || request.skipVerification,
      lastUpdateInstant: now,
    };
    (await this.conflicts(updated)).throwIfAny();
    const { password } = request;
    if (password !== null) {
      await this.passwords.refuseReuse(entity, password, rules, 'user.password');
      Object.assign(updated, await this.passwordFields(password, now));
    }
    await this.announcing(id, () =>
      this.write(
        () =>
          this.users.transaction(async (manager) => {
            await this.users.save(updated, manager);
            if (password !== null) await this.passwords.remember(manager, entity, rules, now);
          }),
        () => this.conflicts(updated),
      ),
    );
    return { user: await this.render(updated) };
  }

  async patch(caller: Caller, id: string, body: unknown, mode: PatchMode): Promise<JsonObject> {
    const entity = await this.visible(caller, id);
    return this.update(caller, id, applyPatch({ user: userToJson(entity) }, body, mode));
  }

  async reactivate(caller: Caller, id: string): Promise<JsonObject> {
    const entity = await this.visible(caller, id);
    const updated = await this.setActive(entity, true);
    return { user: await this.render(updated) };
  }

  /** A soft delete deactivates; a hard delete removes the user and what it owns. */
  async delete(caller: Caller, id: string, hard: boolean): Promise<void> {
    const entity = await this.visible(caller, id);
    if (!hard) return void (await this.setActive(entity, false));
    await this.sessions.revoke({ tenantId: entity.tenantId, userId: entity.id });
    await this.announcing(id, () => this.users.delete(entity.tenantId, entity.id));
  }

  /** The user as FusionAuth shows it, registrations and memberships included. */
  async render(entity: UserEntity): Promise<JsonObject> {
    return (await this.renderAll(entity.tenantId, [entity]))[0];
  }

  private async renderAll(scope: string | null, entities: UserEntity[]): Promise<JsonObject[]> {
    const ids = entities.map((entity) => entity.id);
    const [registrations, memberships] = await Promise.all([
      this.registrations.listForUsers(scope, ids).then(groupBy),
      this.users.membershipsOf(scope, ids).then(groupBy),
    ]);
    return entities.map((user) =>
      viewToJson({
        user,
        registrations: registrations.get(user.id) ?? [],
        memberships: memberships.get(user.id) ?? [],
      }),
    );
  }

  private async setActive(entity: UserEntity, active: boolean): Promise<UserEntity> {
    if (entity.active === active) return entity;
    const updated = { ...entity, active, lastUpdateInstant: Date.now() };
    await this.announcing(entity.id, () => this.users.save(updated));
    return updated;
  }

  private async passwordFields(password: string, now: number): Promise<Partial<UserEntity>> {
    return { passwordHash: await this.passwords.hash(password), passwordLastUpdateInstant: now };
  }

  /** Email and username are unique per tenant (username case-insensitively). */
  private async conflicts(entity: UserEntity): Promise<FieldErrors> {
    const errors = new FieldErrors();
    const { tenantId, email, username } = entity;
    const byEmail = email === null ? null : await this.users.findByEmail(tenantId, email);
    if (byEmail !== null && byEmail.id !== entity.id)
      errors.add('duplicate', 'user.email', `A User with email = [${email}] already exists.`);
    const byUsername =
      username === null ? null : await this.users.findByUsername(tenantId, username);
    if (byUsername !== null && byUsername.id !== entity.id) {
      errors.add(
        'duplicate',
        'user.username',
        `A User with username = [${username}] already exists.`,
      );
    }
    return errors;
  }

  /** What `conflicts` finds, and a chosen id or membership that is taken or unknown. */
  private async newUserConflicts(
    entity: UserEntity,
    chosenId: boolean,
    request: UserRequest,
  ): Promise<FieldErrors> {
    const errors = await this.conflicts(entity);
    if (chosenId && (await this.users.idExists(entity.id))) errors.add('duplicate', 'userId');
    await this.members.checkNewMemberships(entity.tenantId, request.memberships, errors);
    return errors;
  }

  /** A write that lost a uniqueness race to another request reads as the duplicate it is. */
  private async write(
    work: () => Promise<unknown>,
    recheck: () => Promise<FieldErrors>,
  ): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const conflicts = await recheck();
      if (!conflicts.has()) conflicts.add('duplicate', 'userId');
      throw conflicts.toError();
    }
  }
}

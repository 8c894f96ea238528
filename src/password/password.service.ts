import { Injectable } from '@nestjs/common';
import { digestKey, generateKey } from '../auth/key-digest';
import { Caller, callerUser } from '../auth/principal';
import { requireTenant } from '../auth/tenant-requirement';
import { ApiError, EmptyResponse, FieldErrors } from '../common/api-error';
import { JsonObject } from '../common/fields';
import { isUniqueViolation } from '../database/database.errors';
import { TenantDirectory } from '../tenant/tenant.directory';
import { TenantRepository } from '../tenant/tenant.repository';
import { UserEntity } from '../user/user.entity';
import { UserRepository } from '../user/user.repository';
import { ChangePasswordRequest, readChangePassword, readForgotPassword } from './password.dto';
import { PasswordCheck } from './password.check';
import { PasswordPolicy } from './password.policy';
import { PasswordRepository } from './password.repository';
import { checkPassword, PasswordValidationRules, passwordRulesToJson } from './password.rules';

/** No change password id is longer (chosen ones are at most 128 characters). */
const MAX_CHANGE_PASSWORD_ID = 128;

/**
 * FusionAuth's password workflows: the rules a tenant sets, the forgot password
 * workflow (a change password id, which Portcullis hands to the caller and never mails),
 * and changing a password by that id or by login id.
 */
@Injectable()
export class PasswordService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordRepository,
    private readonly policy: PasswordPolicy,
    private readonly check: PasswordCheck,
    private readonly tenants: TenantRepository,
    private readonly directory: TenantDirectory,
  ) {}

  async validationRules(tenantId: string): Promise<JsonObject> {
    const tenant = await this.tenants.getById(tenantId);
    if (tenant === null) throw EmptyResponse.notFound;
    const rules = tenant.configuration.passwordValidationRules;
    return { passwordValidationRules: passwordRulesToJson(rules) };
  }

  /**
   * Starts the workflow and answers the id. Portcullis sends no email, so a request that
   * asks for one (FusionAuth's default) gets FusionAuth's answer for a tenant without a
   * forgot password template: 403.
   */
  async forgotPassword(caller: Caller, body: unknown): Promise<JsonObject> {
    const request = readForgotPassword(body);
    const tenantId = requireTenant(caller, this.directory);
    if (request.sendMessage) throw EmptyResponse.forbidden;
    const user = await this.users.findOneByLoginId(tenantId, request.loginId, request.types);
    if (user === null || !user.active) throw EmptyResponse.notFound;
    // The tenant is gone only if it was deleted meanwhile, and its users with it.
    const tenant = await this.tenants.getById(tenantId);
    if (tenant === null) throw EmptyResponse.notFound;
    const ttl =
      tenant.configuration.externalIdentifierConfiguration.changePasswordIdTimeToLiveInSeconds;
    const changePasswordId = request.changePasswordId ?? generateKey();
    const now = Date.now();
    try {
      await this.passwords.startWorkflow({
        idDigest: digestKey(changePasswordId),
        userId: user.id,
        tenantId,
        state: request.state,
        expirationInstant: now + ttl * 1000,
        insertInstant: now,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.field('duplicate', 'changePasswordId');
      throw error;
    }
    return { changePasswordId };
  }

  /** No credential: the id is one. Unknown, used or expired: 404. */
  changeById(pathId: string, body: unknown): Promise<JsonObject> {
    const request = readChangePassword(body);
    return this.changeWithId(request.changePasswordId ?? pathId, request, null);
  }

  /**
   * With an API key: by `loginId` in the caller's tenant (an unknown login or a wrong
   * current password is a 400 then, as FusionAuth answers since 1.43), or by a
   * `changePasswordId` in the body, which takes precedence. 200 with no body for a login id.
   */
  async changeByIdentity(caller: Caller, body: unknown): Promise<JsonObject | void> {
    const request = readChangePassword(body);
    if (caller.principal.kind === 'user') return this.changeOwn(caller, request);
    if (request.changePasswordId !== null)
      return this.changeWithId(request.changePasswordId, request, caller.tenantId);
    if (request.loginId === null) throw ApiError.general('invalid');
    const tenantId = requireTenant(caller, this.directory);
    const user = await this.users.findOneByLoginId(tenantId, request.loginId, request.types);
    if (user === null || !user.active)
      throw ApiError.field('invalid', 'loginId', 'The [loginId] names no user.');
    const rules = await this.checkNew(user, request.password);
    const { currentPassword } = request;
    if (currentPassword !== null && !(await this.check.matches(user, currentPassword))) {
      throw ApiError.field(
        'invalid',
        'currentPassword',
        "The [currentPassword] is not the user's password.",
      );
    }
    await this.write(user, request.password, rules);
  }

  /**
   * FusionAuth's JWT form: the token's user, whatever `loginId` or `changePasswordId` the
   * body names (a token changes only its own user's password), and the current password
   * is required. 200 with `{}`.
   */
  private async changeOwn(caller: Caller, request: ChangePasswordRequest): Promise<JsonObject> {
    if (request.currentPassword === null) throw ApiError.field('blank', 'currentPassword');
    await this.changePassword(callerUser(caller).userId, request.currentPassword, request.password);
    return {};
  }

  /**
   * The user's own change of password (FusionAuth's JWT form of the Change Password
   * API): an unknown user or a wrong current password is a 404, a weak new one a 400.
   */
  async changePassword(userId: string, currentPassword: string, password: string): Promise<void> {
    const user = await this.users.getById(null, userId);
    if (user === null || !user.active) throw EmptyResponse.notFound;
    const rules = await this.checkNew(user, password);
    if (!(await this.check.matches(user, currentPassword))) throw EmptyResponse.notFound;
    await this.write(user, password, rules);
  }

  /** `scope`: a tenant-scoped caller finds only its tenant's ids. */
  private async changeWithId(
    changePasswordId: string,
    request: ChangePasswordRequest,
    scope: string | null,
  ): Promise<JsonObject> {
    if (changePasswordId.length > MAX_CHANGE_PASSWORD_ID) throw EmptyResponse.notFound;
    const idDigest = digestKey(changePasswordId);
    const workflow = await this.passwords.findLive(idDigest, Date.now());
    if (workflow === null || (scope !== null && workflow.tenantId !== scope))
      throw EmptyResponse.notFound;
    const user = await this.users.getById(workflow.tenantId, workflow.userId);
    if (user === null || !user.active) throw EmptyResponse.notFound;
    const rules = await this.checkNew(user, request.password);
    const { currentPassword } = request;
    if (currentPassword !== null && !(await this.check.matches(user, currentPassword)))
      throw EmptyResponse.notFound;
    await this.write(user, request.password, rules, () =>
      this.passwords.consume(idDigest, Date.now()),
    );
    return workflow.state === null ? {} : { state: workflow.state };
  }

  /** 400 for a password the user's tenant does not accept; the rules, otherwise. */
  private async checkNew(user: UserEntity, password: string): Promise<PasswordValidationRules> {
    const rules = await this.policy.rulesOf(user.tenantId);
    const errors = new FieldErrors();
    checkPassword(password, rules, 'password', errors);
    errors.throwIfAny();
    return rules;
  }

  /**
   * Sets the password: refused (400) if remembered; then `consume` uses up the id, if one
   * was given (404 for the request that comes second), and the new hash, the remembered
   * ones and the end of every other workflow of the user are written together. The id is
   * used up in a statement of its own, before that transaction: should the write then
   * fail, the workflow must be started again, but an id can never serve twice.
   */
  private async write(
    user: UserEntity,
    password: string,
    rules: PasswordValidationRules,
    consume?: () => Promise<boolean>,
  ): Promise<void> {
    await this.policy.refuseReuse(user, password, rules, 'password');
    const passwordHash = await this.policy.hash(password);
    if (consume !== undefined && !(await consume())) throw EmptyResponse.notFound;
    const now = Date.now();
    await this.users.transaction(async (manager) => {
      await this.users.setPassword(manager, user, passwordHash, now);
      await this.policy.remember(manager, user, rules, now);
      await this.passwords.revokeAll(manager, user.id);
    });
  }
}

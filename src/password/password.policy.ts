import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { TenantRepository } from '../tenant/tenant.repository';
import type { UserEntity } from '../user/user.entity';
import { PasswordHasher } from './password.hasher';
import { PasswordRepository } from './password.repository';
import { DEFAULT_PASSWORD_RULES, PasswordValidationRules } from './password.rules';

/**
 * What setting a password takes beyond its own rules: the tenant's rules, the user's
 * remembered passwords, the hash. Shared by the User API and the password workflows.
 */
@Injectable()
export class PasswordPolicy {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly hasher: PasswordHasher,
    private readonly passwords: PasswordRepository,
  ) {}

  async rulesOf(tenantId: string): Promise<PasswordValidationRules> {
    const tenant = await this.tenants.getById(tenantId);
    return tenant?.configuration.passwordValidationRules ?? DEFAULT_PASSWORD_RULES;
  }

  /**
   * 400 `[previouslyUsed]<field>` when the tenant remembers passwords and this is the
   * user's current one or one of the earlier ones it keeps (`count` in all).
   */
  async refuseReuse(
    user: UserEntity,
    password: string,
    rules: PasswordValidationRules,
    field: string,
  ): Promise<void> {
    const { enabled, count } = rules.rememberPreviousPasswords;
    if (!enabled) return;
    const earlier = await this.passwords.previousHashes(user.id, count - 1);
    const remembered = user.passwordHash === null ? earlier : [user.passwordHash, ...earlier];
    for (const stored of remembered.slice(0, count)) {
      if (await this.hasher.verify(stored, password)) {
        throw ApiError.field(
          'previouslyUsed',
          field,
          `The [${field}] property is one of the last [${count}] passwords of this user.`,
        );
      }
    }
  }

  hash(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  /**
   * In the transaction that replaces the user's password: the replaced hash is kept
   * while the tenant remembers passwords, and dropped (with older ones) otherwise.
   */
  remember(
    manager: EntityManager,
    user: UserEntity,
    rules: PasswordValidationRules,
    now: number,
  ): Promise<void> {
    const { enabled, count } = rules.rememberPreviousPasswords;
    return this.passwords.keepPrevious(
      manager,
      user.id,
      user.passwordHash,
      enabled ? count - 1 : 0,
      now,
    );
  }
}

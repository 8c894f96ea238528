import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JsonObject } from '../common/fields';
import {
  bool,
  byInsertion,
  instant,
  jsonArray,
  jsonText,
  optionalInstant,
  optionalText,
} from '../database/json-rows';
import type { GroupMemberEntity } from '../group/group.entity';
import type { RegistrationEntity } from '../registration/registration.entity';
import type { UserEntity } from './user.entity';
import type { LoginIdType } from './user.lookup';

/** A user as the User API shows it: the row, its registrations and its memberships. */
export interface UserView {
  readonly user: Omit<UserEntity, 'passwordHash'>;
  readonly registrations: RegistrationEntity[];
  readonly memberships: GroupMemberEntity[];
}

const USER_COLUMNS =
  'u.id, u.tenant_id, u.email, u.username, u.first_name, u.last_name, u.full_name, u.active, ' +
  'u.verified, u.details, u.insert_instant, u.last_update_instant, u.last_login_instant, ' +
  'u.password_last_update_instant';

const REGISTRATION_FIELDS =
  'r.id, r.application_id, r.tenant_id, r.roles, r.username, r.data, r.details, r.verified, ' +
  'r.insert_instant, r.last_update_instant, r.last_login_instant';

const MEMBER_FIELDS = 'm.id, m.group_id, m.user_id, m.data, m.insert_instant';

/**
 * The select list of a user read: the user's columns and, through JSON aggregation, its
 * registrations and its memberships in groups of its own tenant, so that a read is one
 * query (and one round trip) whatever the dialect.
 */
function selectUser(aggregate: string): string {
  return (
    `SELECT ${USER_COLUMNS}, ` +
    `(SELECT ${aggregate}(JSON_ARRAY(${REGISTRATION_FIELDS})) FROM registrations r ` +
    `WHERE r.user_id = u.id AND r.tenant_id = u.tenant_id) AS registrations, ` +
    `(SELECT ${aggregate}(JSON_ARRAY(${MEMBER_FIELDS})) FROM group_members m ` +
    `JOIN user_groups g ON g.id = m.group_id ` +
    `WHERE m.user_id = u.id AND g.tenant_id = u.tenant_id) AS memberships ` +
    `FROM users u`
  );
}

function registrationOf(row: unknown[], userId: string): RegistrationEntity {
  const [id, applicationId, tenantId, roles, username, data, details, verified, ...instants] = row;
  return {
    id: String(id),
    userId,
    applicationId: String(applicationId),
    tenantId: String(tenantId),
    roles: jsonText<string[]>(roles),
    username: optionalText(username),
    data: jsonText<JsonObject>(data),
    details: jsonText<JsonObject>(details),
    verified: bool(verified),
    insertInstant: instant(instants[0]),
    lastUpdateInstant: instant(instants[1]),
    lastLoginInstant: optionalInstant(instants[2]),
  };
}

function memberOf(row: unknown[]): GroupMemberEntity {
  const [id, groupId, userId, data, insertInstant] = row;
  return {
    id: String(id),
    groupId: String(groupId),
    userId: String(userId),
    data: jsonText<JsonObject>(data),
    insertInstant: instant(insertInstant),
  };
}

function viewOf(row: Record<string, unknown>): UserView {
  const id = String(row.id);
  return {
    user: {
      id,
      tenantId: String(row.tenant_id),
      email: optionalText(row.email),
      username: optionalText(row.username),
      firstName: optionalText(row.first_name),
      lastName: optionalText(row.last_name),
      fullName: optionalText(row.full_name),
      active: bool(row.active),
      verified: bool(row.verified),
      details: jsonText<JsonObject>(row.details),
      insertInstant: instant(row.insert_instant),
      lastUpdateInstant: instant(row.last_update_instant),
      lastLoginInstant: optionalInstant(row.last_login_instant),
      passwordLastUpdateInstant: optionalInstant(row.password_last_update_instant),
    },
    registrations: jsonArray(row.registrations)
      .map((registration) => registrationOf(registration, id))
      .sort(byInsertion),
    memberships: jsonArray(row.memberships).map(memberOf).sort(byInsertion),
  };
}

/**
 * User reads for the User API, each one query with its SQL made once per shape; rows
 * become the response's parts directly, without entity hydration. Writes, and reads that
 * need the password hash, stay with `UserRepository`.
 */
@Injectable()
export class UserReader {
  private readonly select: string;
  private readonly byLogin = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {
    this.select = selectUser(
      dataSource.options.type === 'mysql' ? 'JSON_ARRAYAGG' : 'json_group_array',
    );
  }

  /** `scope` is the tenant the read is confined to, or null for a global caller. */
  async byId(scope: string | null, id: string): Promise<UserView | null> {
    const rows: Record<string, unknown>[] =
      scope === null
        ? await this.dataSource.query(`${this.select} WHERE u.id = ?`, [id])
        : await this.dataSource.query(`${this.select} WHERE u.id = ? AND u.tenant_id = ?`, [
            id,
            scope,
          ]);
    return rows.length === 0 ? null : viewOf(rows[0]);
  }

  /**
   * The tenant's user whose email or username is `loginId`, the first type in `types`
   * that matches anyone winning: one query, which ranks an email match before a username
   * match when both are asked.
   */
  async byLoginId(
    tenantId: string,
    loginId: string,
    types: readonly LoginIdType[],
  ): Promise<UserView | null> {
    if (types.length === 0) return null;
    const values = types.map((type) => (type === 'email' ? loginId.toLowerCase() : loginId));
    const rows: Record<string, unknown>[] = await this.dataSource.query(this.loginQuery(types), [
      tenantId,
      ...values,
      ...(types.length > 1 ? values : []),
    ]);
    return rows.length === 0 ? null : viewOf(rows[0]);
  }

  private loginQuery(types: readonly LoginIdType[]): string {
    const shape = types.join(',');
    let sql = this.byLogin.get(shape);
    if (sql === undefined) {
      const matches = types.map((type) => `u.${type} = ?`);
      const rank =
        types.length === 1
          ? ''
          : ` ORDER BY CASE ${types.map((type, i) => `WHEN u.${type} = ? THEN ${i}`).join(' ')} END`;
      sql = `${this.select} WHERE u.tenant_id = ? AND (${matches.join(' OR ')})${rank} LIMIT 1`;
      this.byLogin.set(shape, sql);
    }
    return sql;
  }
}

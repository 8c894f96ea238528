import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JsonObject } from '../common/fields';
import {
  bool,
  byInsertion,
  instant,
  jsonText,
  optionalInstant,
  optionalText,
} from '../database/row-values';
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

/** A row of the union: what it is, whose, its id, then its own columns in order. */
type Row = Record<'kind' | 'owner' | 'id' | `c${number}`, unknown>;

const PAYLOAD = 13;

/** One part of the union: `columns` as c1…c13, padded with NULLs (every part has as many). */
function part(kind: string, id: string, columns: string[], from: string): string {
  const padded = [...columns, ...Array<string>(PAYLOAD - columns.length).fill('NULL')];
  const payload = padded.map((column, i) => `${column} AS c${i + 1}`).join(', ');
  return `SELECT '${kind}' AS kind, u.id AS owner, ${id} AS id, ${payload} FROM ${from}`;
}

/**
 * One user read, whatever the dialect: the users `where` selects, their registrations and
 * their memberships in groups of their own tenant, as the three parts of one UNION ALL
 * (JSON aggregation would do it too, but MariaDB's costs three times a plain read there).
 * `where` appears in each part, so its parameters are given three times.
 */
function readQuery(where: string): string {
  return [
    part(
      'u',
      'u.id',
      [
        'u.tenant_id',
        'u.email',
        'u.username',
        'u.first_name',
        'u.last_name',
        'u.full_name',
        'u.active',
        'u.verified',
        'u.details',
        'u.insert_instant',
        'u.last_update_instant',
        'u.last_login_instant',
        'u.password_last_update_instant',
      ],
      `users u WHERE ${where}`,
    ),
    part(
      'r',
      'r.id',
      [
        'r.application_id',
        'r.tenant_id',
        'r.roles',
        'r.username',
        'r.data',
        'r.details',
        'r.verified',
        'r.insert_instant',
        'r.last_update_instant',
        'r.last_login_instant',
      ],
      `users u JOIN registrations r ON r.user_id = u.id AND r.tenant_id = u.tenant_id WHERE ${where}`,
    ),
    part(
      'm',
      'm.id',
      ['m.group_id', 'm.data', 'm.insert_instant'],
      `users u JOIN group_members m ON m.user_id = u.id ` +
        `JOIN user_groups g ON g.id = m.group_id AND g.tenant_id = u.tenant_id WHERE ${where}`,
    ),
  ].join(' UNION ALL ');
}

function userOf(row: Row): UserView['user'] {
  return {
    id: String(row.id),
    tenantId: String(row.c1),
    email: optionalText(row.c2),
    username: optionalText(row.c3),
    firstName: optionalText(row.c4),
    lastName: optionalText(row.c5),
    fullName: optionalText(row.c6),
    active: bool(row.c7),
    verified: bool(row.c8),
    details: jsonText<JsonObject>(row.c9),
    insertInstant: instant(row.c10),
    lastUpdateInstant: instant(row.c11),
    lastLoginInstant: optionalInstant(row.c12),
    passwordLastUpdateInstant: optionalInstant(row.c13),
  };
}

function registrationOf(row: Row): RegistrationEntity {
  return {
    id: String(row.id),
    userId: String(row.owner),
    applicationId: String(row.c1),
    tenantId: String(row.c2),
    roles: jsonText<string[]>(row.c3),
    username: optionalText(row.c4),
    data: jsonText<JsonObject>(row.c5),
    details: jsonText<JsonObject>(row.c6),
    verified: bool(row.c7),
    insertInstant: instant(row.c8),
    lastUpdateInstant: instant(row.c9),
    lastLoginInstant: optionalInstant(row.c10),
  };
}

function memberOf(row: Row): GroupMemberEntity {
  return {
    id: String(row.id),
    groupId: String(row.c1),
    userId: String(row.owner),
    data: jsonText<JsonObject>(row.c2),
    insertInstant: instant(row.c3),
  };
}

/** The view of the user `pick` chooses among the rows' users (null when there are none). */
function viewOf(rows: Row[], pick: (users: UserView['user'][]) => UserView['user'] | undefined) {
  const user = pick(rows.filter((row) => row.kind === 'u').map(userOf));
  if (user === undefined) return null;
  const own = rows.filter((row) => row.owner === user.id);
  return {
    user,
    registrations: own
      .filter((row) => row.kind === 'r')
      .map(registrationOf)
      .sort(byInsertion),
    memberships: own
      .filter((row) => row.kind === 'm')
      .map(memberOf)
      .sort(byInsertion),
  };
}

/**
 * User reads for the User API, each one query with its SQL made once per shape; rows
 * become the response's parts directly, without entity hydration. Writes, and reads that
 * need the password hash, stay with `UserRepository`.
 */
@Injectable()
export class UserReader {
  private readonly byIdIn = readQuery('u.id = ? AND u.tenant_id = ?');
  private readonly byIdAnywhere = readQuery('u.id = ?');
  private readonly byLogin = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  /** `scope` is the tenant the read is confined to, or null for a global caller. */
  async byId(scope: string | null, id: string): Promise<UserView | null> {
    const rows: Row[] =
      scope === null
        ? await this.dataSource.query(this.byIdAnywhere, [id, id, id])
        : await this.dataSource.query(this.byIdIn, [id, scope, id, scope, id, scope]);
    return viewOf(rows, (users) => users[0]);
  }

  /**
   * The tenant's user whose email or username is `loginId`, the first type in `types`
   * that matches anyone winning (emails and usernames are unique per tenant, so at most
   * one user per type).
   */
  async byLoginId(
    tenantId: string,
    loginId: string,
    types: readonly LoginIdType[],
  ): Promise<UserView | null> {
    if (types.length === 0) return null;
    const values = types.map((type) => (type === 'email' ? loginId.toLowerCase() : loginId));
    const parameters = [tenantId, ...values];
    const rows: Row[] = await this.dataSource.query(this.loginQuery(types), [
      ...parameters,
      ...parameters,
      ...parameters,
    ]);
    // The database matched each user by one of the types (usernames by its collation);
    // an exact email match tells which, and the best-ranked type wins.
    const email = loginId.toLowerCase();
    const rank = (user: UserView['user']) =>
      types.indexOf(user.email === email && types.includes('email') ? 'email' : 'username');
    return viewOf(rows, (users) => users.sort((a, b) => rank(a) - rank(b))[0]);
  }

  private loginQuery(types: readonly LoginIdType[]): string {
    const shape = types.join(',');
    let sql = this.byLogin.get(shape);
    if (sql === undefined) {
      sql = readQuery(`u.tenant_id = ? AND (${types.map((type) => `u.${type} = ?`).join(' OR ')})`);
      this.byLogin.set(shape, sql);
    }
    return sql;
  }
}

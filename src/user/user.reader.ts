import { Injectable } from '@nestjs/common';
import type { JsonObject } from '../common/fields';
import { RowReader, RowValues } from '../database/row-reader';
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

/** A row of the union: what it is, whose, its id, then its own columns (c1…c13) in order. */
type Row = RowValues;
const KIND = 0;
const OWNER = 1;
const ID = 2;

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
    id: String(row[ID]),
    tenantId: String(row[ID + 1]),
    email: optionalText(row[ID + 2]),
    username: optionalText(row[ID + 3]),
    firstName: optionalText(row[ID + 4]),
    lastName: optionalText(row[ID + 5]),
    fullName: optionalText(row[ID + 6]),
    active: bool(row[ID + 7]),
    verified: bool(row[ID + 8]),
    details: jsonText<JsonObject>(row[ID + 9]),
    insertInstant: instant(row[ID + 10]),
    lastUpdateInstant: instant(row[ID + 11]),
    lastLoginInstant: optionalInstant(row[ID + 12]),
    passwordLastUpdateInstant: optionalInstant(row[ID + 13]),
  };
}

function registrationOf(row: Row): RegistrationEntity {
  return {
    id: String(row[ID]),
    userId: String(row[OWNER]),
    applicationId: String(row[ID + 1]),
    tenantId: String(row[ID + 2]),
    roles: jsonText<string[]>(row[ID + 3]),
    username: optionalText(row[ID + 4]),
    data: jsonText<JsonObject>(row[ID + 5]),
    details: jsonText<JsonObject>(row[ID + 6]),
    verified: bool(row[ID + 7]),
    insertInstant: instant(row[ID + 8]),
    lastUpdateInstant: instant(row[ID + 9]),
    lastLoginInstant: optionalInstant(row[ID + 10]),
  };
}

function memberOf(row: Row): GroupMemberEntity {
  return {
    id: String(row[ID]),
    groupId: String(row[ID + 1]),
    userId: String(row[OWNER]),
    data: jsonText<JsonObject>(row[ID + 2]),
    insertInstant: instant(row[ID + 3]),
  };
}

/** The view of the user `pick` chooses among the rows' users (null when there are none). */
function viewOf(rows: Row[], pick: (users: UserView['user'][]) => UserView['user'] | undefined) {
  const user = pick(rows.filter((row) => row[KIND] === 'u').map(userOf));
  if (user === undefined) return null;
  const own = rows.filter((row) => row[OWNER] === user.id);
  return {
    user,
    registrations: own
      .filter((row) => row[KIND] === 'r')
      .map(registrationOf)
      .sort(byInsertion),
    memberships: own
      .filter((row) => row[KIND] === 'm')
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

  constructor(private readonly database: RowReader) {}

  /** `scope` is the tenant the read is confined to, or null for a global caller. */
  async byId(scope: string | null, id: string): Promise<UserView | null> {
    const rows: Row[] =
      scope === null
        ? await this.database.rows(this.byIdAnywhere, [id, id, id])
        : await this.database.rows(this.byIdIn, [id, scope, id, scope, id, scope]);
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
    const rows = await this.database.rows(this.loginQuery(types), [
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

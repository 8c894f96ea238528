import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import type { JsonObject } from '../common/fields';
import { MYSQL_POOL_CONNECTIONS } from '../database/data-source';
import { ReadBatch, ReadBatchOptions, ReadLane } from '../database/read-batch';
import { Metrics } from '../metrics/metrics.service';
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

/**
 * A row of the union: the read it answers (its slot in the batch), what it is, whose, its
 * id, then its own columns (c1…c13) in order.
 */
type Row = RowValues;
const SLOT = 0;
const KIND = 1;
const OWNER = 2;
const ID = 3;

const PAYLOAD = 13;

/** One part of the union: `columns` as c1…c13, padded with NULLs (every part has as many). */
function part(kind: string, id: string, columns: string[], from: string): string {
  const padded = [...columns, ...Array<string>(PAYLOAD - columns.length).fill('NULL')];
  const payload = padded.map((column, i) => `${column} AS c${i + 1}`).join(', ');
  return `SELECT f.slot AS slot, '${kind}' AS kind, u.id AS owner, ${id} AS id, ${payload} FROM ${from}`;
}

/**
 * The batch's reads as a table `p`: each read's slot, then its `arity` parameters as
 * p.a0, p.a1… A padding read's parameters are NULL, which matches no row.
 */
function readsTable(size: number, arity: number): string {
  const read = (slot: number) => {
    const parameters = Array.from({ length: arity }, (_, i) => (slot === 0 ? `? AS a${i}` : '?'));
    return `SELECT ${slot === 0 ? '0 AS slot' : slot}, ${parameters.join(', ')}`;
  };
  return `p AS (${Array.from({ length: size }, (_, slot) => read(slot)).join(' UNION ALL ')})`;
}

/**
 * One query for a batch of `size` user reads, whatever the dialect. `f` pairs each read of
 * `p` with the users one of `matches` finds for it: each match is one index lookup, and
 * several are a UNION of them rather than an OR, which MariaDB would answer by reading
 * every user of the tenant. Then the users found, their registrations and their
 * memberships in groups of their own tenant, as the three parts of one UNION ALL (JSON
 * aggregation would do it too, but MariaDB's costs three times a plain read there).
 */
function readQuery(matches: readonly string[], arity: number, size: number): string {
  const found = matches
    .map((match) => `SELECT p.slot AS slot, u.id AS id FROM p JOIN users u ON ${match}`)
    .join(' UNION ');
  const users = 'f JOIN users u ON u.id = f.id';
  return (
    `WITH ${readsTable(size, arity)}, f AS (${found}) ` +
    [
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
        users,
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
        `${users} JOIN registrations r ON r.user_id = u.id AND r.tenant_id = u.tenant_id`,
      ),
      part(
        'm',
        'm.id',
        ['m.group_id', 'm.data', 'm.insert_instant'],
        `${users} JOIN group_members m ON m.user_id = u.id ` +
          'JOIN user_groups g ON g.id = m.group_id AND g.tenant_id = u.tenant_id',
      ),
    ].join(' UNION ALL ')
  );
}

/** Batch sizes, each one statement per shape: a batch is padded to the next of them. */
const SIZES = [1, 4, 16, 64] as const;
const MOST_READS = SIZES[SIZES.length - 1];

/**
 * Batches of one shape querying MySQL at once, each on a pooled connection: two let a batch
 * fill while another is out.
 */
const READS_IN_FLIGHT = 2;

/**
 * User reads of every shape together hold at most half the MySQL pool, the rest staying free
 * for writes and key lookups whatever mix of reads comes.
 */
const USER_READ_CONNECTIONS = Math.floor(MYSQL_POOL_CONNECTIONS / 2);

/** One shape of read (how `p`'s parameters find users), its statements made once per size. */
class ReadShape {
  private readonly statements = new Map<number, string>();
  readonly batch: ReadBatch<string[], Row[]>;

  constructor(
    private readonly matches: readonly string[],
    private readonly arity: number,
    database: RowReader,
    options: Omit<ReadBatchOptions, 'maxReads'>,
  ) {
    this.batch = new ReadBatch(
      async (reads) => {
        const size = SIZES.find((candidate) => candidate >= reads.length) ?? MOST_READS;
        const parameters: unknown[] = reads.flat();
        while (parameters.length < size * this.arity) parameters.push(null);
        const answers = reads.map((): Row[] => []);
        for (const row of await database.rows(this.sql(size), parameters))
          answers[Number(row[SLOT])]?.push(row);
        return answers;
      },
      { ...options, maxReads: MOST_READS },
    );
  }

  private sql(size: number): string {
    let sql = this.statements.get(size);
    if (sql === undefined) {
      sql = readQuery(this.matches, this.arity, size);
      this.statements.set(size, sql);
    }
    return sql;
  }
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
 * User reads for the User API. Reads of one shape asked for at about the same time are one
 * query (`ReadBatch`), its SQL made once per shape and batch size; rows become the
 * response's parts directly, without entity hydration. Writes, and reads that need the
 * password hash, stay with `UserRepository`.
 */
@Injectable()
export class UserReader {
  private readonly byIdIn: ReadShape;
  private readonly byIdAnywhere: ReadShape;
  private readonly byLogin = new Map<string, ReadShape>();
  private readonly batching: Omit<ReadBatchOptions, 'maxReads'>;

  constructor(
    private readonly database: RowReader,
    @Inject(APP_CONFIG) config: AppConfig,
    metrics: Metrics,
  ) {
    // SQLite answers in-process, one statement at a time: nothing gains from a second.
    const sqlite = config.database.dialect === 'sqlite';
    const lane = new ReadLane(sqlite ? 1 : USER_READ_CONNECTIONS);
    this.batching = {
      maxInFlight: sqlite ? 1 : READS_IN_FLIGHT,
      // As long as a read would have waited for a pooled connection.
      maxWaitMs: config.databaseAcquireTimeoutMs,
      lane,
    };
    metrics.sample(() => {
      for (const event of ['queries', 'reads', 'failures', 'overdue'] as const)
        Metrics.setCounter(metrics.userReadBatches, { event }, lane.counters[event]);
    });
    this.byIdIn = new ReadShape(['u.id = p.a0 AND u.tenant_id = p.a1'], 2, database, this.batching);
    this.byIdAnywhere = new ReadShape(['u.id = p.a0'], 1, database, this.batching);
  }

  /** `scope` is the tenant the read is confined to, or null for a global caller. */
  async byId(scope: string | null, id: string): Promise<UserView | null> {
    const rows =
      scope === null
        ? await this.byIdAnywhere.batch.load([id])
        : await this.byIdIn.batch.load([id, scope]);
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
    const rows = await this.loginShape(types).batch.load([tenantId, ...values]);
    // The database matched each user by one of the types (usernames by its collation);
    // an exact email match tells which, and the best-ranked type wins.
    const email = loginId.toLowerCase();
    const rank = (user: UserView['user']) =>
      types.indexOf(user.email === email && types.includes('email') ? 'email' : 'username');
    return viewOf(rows, (users) => users.sort((a, b) => rank(a) - rank(b))[0]);
  }

  private loginShape(types: readonly LoginIdType[]): ReadShape {
    const key = types.join(',');
    let shape = this.byLogin.get(key);
    if (shape === undefined) {
      shape = new ReadShape(
        // The column on the left: SQLite then compares by its collation (NOCASE for usernames).
        types.map((type, i) => `u.tenant_id = p.a0 AND u.${type} = p.a${i + 1}`),
        types.length + 1,
        this.database,
        this.batching,
      );
      this.byLogin.set(key, shape);
    }
    return shape;
  }
}

import { DeadlineExceeded } from './deadline';

type Callback = (error: Error | null, connection?: PooledConnection) => void;

/** What this file uses of a mysql2 pool and its connections. */
export interface DeadlinePool {
  getConnection(callback: Callback): void;
}

interface PooledConnection {
  query(...args: unknown[]): unknown;
  execute(...args: unknown[]): unknown;
  release(): void;
  destroy(): void;
  stream?: { destroy(): void };
  [GUARDED]?: true;
}

const GUARDED = Symbol('query deadline');

export interface PoolDeadlines {
  /** Longest wait for a connection: a free one, or a new one's handshake. */
  readonly acquireMs: number;
  /** Longest a query may take from the moment it is issued, queueing included. */
  readonly queryMs: number;
}

/**
 * Deadlines mysql2 lacks. Its pool waits for a free connection forever; its own query
 * timeout starts only when the query reaches the head of its connection's queue, and
 * leaves the connection in the pool with the unanswered query still on it, so that every
 * later query on that connection waits behind it. Here a connection wait ends in time,
 * and a query that misses its deadline destroys its connection: the pool opens a fresh
 * one for the next query, which works again as soon as the database answers again.
 */
export function enforcePoolDeadlines(pool: DeadlinePool, deadlines: PoolDeadlines): void {
  const getConnection = pool.getConnection.bind(pool);
  const ours = new WeakSet<Callback>();
  pool.getConnection = (callback) => {
    // mysql2 hands a waiter the connection another released by calling this again.
    if (ours.has(callback)) return getConnection(callback);
    let waiting = true;
    const timer = setTimeout(() => {
      waiting = false;
      callback(new DeadlineExceeded('waiting for a database connection', deadlines.acquireMs));
    }, deadlines.acquireMs);
    const settle: Callback = (error, connection) => {
      if (!waiting) return connection?.release();
      waiting = false;
      clearTimeout(timer);
      if (error !== null || connection === undefined) return callback(error);
      guardQueries(connection, deadlines.queryMs);
      callback(null, connection);
    };
    ours.add(settle);
    getConnection(settle);
  };
}

function guardQueries(connection: PooledConnection, queryMs: number): void {
  if (connection[GUARDED]) return;
  connection[GUARDED] = true;
  connection.query = withDeadline(connection, connection.query.bind(connection), queryMs);
  connection.execute = withDeadline(connection, connection.execute.bind(connection), queryMs);
}

/** `issue` (a text query or a prepared statement's execution) with the query deadline. */
function withDeadline(
  connection: PooledConnection,
  issue: (...args: unknown[]) => unknown,
  queryMs: number,
): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const callback = args[args.length - 1];
    // Only callback queries are TypeORM's and RowReader's; a streamed query ends when its
    // reader ends it.
    if (typeof callback !== 'function') return issue(...args);
    let pending = true;
    const timer = setTimeout(() => {
      pending = false;
      connection.destroy();
      connection.stream?.destroy();
      (callback as Callback)(new DeadlineExceeded('a database query', queryMs));
    }, queryMs);
    args[args.length - 1] = (...results: unknown[]) => {
      if (!pending) return;
      pending = false;
      clearTimeout(timer);
      (callback as (...results: unknown[]) => void)(...results);
    };
    return issue(...args);
  };
}

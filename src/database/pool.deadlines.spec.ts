import { isDatabaseUnavailable } from './database.errors';
import { DeadlineExceeded } from './deadline';
import { DeadlinePool, enforcePoolDeadlines } from './pool.deadlines';

type Callback = Parameters<DeadlinePool['getConnection']>[0];
type Results = (error: Error | null, rows?: unknown) => void;

/** A mysql2 pooled connection whose queries answer only when the test says. */
class FakeConnection {
  readonly queries: { sql: unknown; answer: Results }[] = [];
  released = 0;
  destroyed = 0;
  streamDestroyed = 0;
  readonly stream = { destroy: () => void this.streamDestroyed++ };

  query(sql: unknown, _values: unknown, answer: Results): void {
    this.queries.push({ sql, answer });
  }
  /** A prepared statement's execution: guarded like a text query. */
  execute(sql: unknown, _values: unknown, answer: Results): void {
    this.queries.push({ sql, answer });
  }
  release(): void {
    this.released++;
  }
  destroy(): void {
    this.destroyed++;
  }
}

/** A pool whose waiters get a connection only when the test hands one over. */
class FakePool implements DeadlinePool {
  readonly waiters: Callback[] = [];
  getConnection(callback: Callback): void {
    this.waiters.push(callback);
  }
}

const DEADLINES = { acquireMs: 1_000, queryMs: 2_000 };

function acquire(pool: FakePool): jest.Mock {
  const callback = jest.fn();
  pool.getConnection(callback);
  return callback;
}

type Issue = 'query' | 'execute';
const ISSUES: [string, Issue][] = [
  ['a text query', 'query'],
  ['a prepared statement', 'execute'],
];

function querying(connection: FakeConnection, issue: Issue = 'query'): jest.Mock {
  const answer = jest.fn();
  connection[issue]('SELECT 1', [], answer);
  return answer;
}

describe('enforcePoolDeadlines', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands over a connection that comes in time, and leaves no timer behind', () => {
    const pool = new FakePool();
    enforcePoolDeadlines(pool, DEADLINES);
    const got = acquire(pool);
    const connection = new FakeConnection();
    pool.waiters[0](null, connection);
    expect(got).toHaveBeenCalledWith(null, connection);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends a wait for a connection at the acquire deadline, and gives back one that comes later', () => {
    const pool = new FakePool();
    enforcePoolDeadlines(pool, DEADLINES);
    const got = acquire(pool);
    jest.advanceTimersByTime(999);
    expect(got).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    const error = got.mock.calls[0]?.[0] as unknown;
    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect(isDatabaseUnavailable(error)).toBe(true);

    const late = new FakeConnection();
    pool.waiters[0](null, late);
    expect(got).toHaveBeenCalledTimes(1);
    expect(late.released).toBe(1);
  });

  it("passes the pool's own hand-over to a waiter straight through", () => {
    const pool = new FakePool();
    enforcePoolDeadlines(pool, DEADLINES);
    const got = acquire(pool);
    // mysql2 gives a released connection to a queued waiter by calling getConnection again.
    pool.getConnection(pool.waiters[0]);
    expect(pool.waiters).toHaveLength(2);
    expect(pool.waiters[1]).toBe(pool.waiters[0]);
    pool.waiters[1](null, new FakeConnection());
    expect(got).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it.each<[string, Issue]>(ISSUES)(
    'answers %s that misses its deadline with a 503 error and destroys its connection',
    (_kind, issue) => {
      const pool = new FakePool();
      enforcePoolDeadlines(pool, DEADLINES);
      acquire(pool);
      const connection = new FakeConnection();
      pool.waiters[0](null, connection);
      const answer = querying(connection, issue);
      jest.advanceTimersByTime(1_999);
      expect(answer).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(answer).toHaveBeenCalledTimes(1);
      expect(isDatabaseUnavailable(answer.mock.calls[0]?.[0])).toBe(true);
      expect(connection.destroyed).toBe(1);
      expect(connection.streamDestroyed).toBe(1);
      // The server's answer, if it ever comes, is not passed on a second time.
      connection.queries[0].answer(null, [{ one: 1 }]);
      expect(answer).toHaveBeenCalledTimes(1);
    },
  );

  it.each<[string, Issue]>(ISSUES)(
    'passes a timely answer to %s on and keeps the connection, guarding it once however often it is lent',
    (_kind, issue) => {
      const pool = new FakePool();
      enforcePoolDeadlines(pool, DEADLINES);
      const connection = new FakeConnection();
      acquire(pool);
      pool.waiters[0](null, connection);
      acquire(pool);
      pool.waiters[1](null, connection);
      const answer = querying(connection, issue);
      expect(connection.queries).toHaveLength(1);
      connection.queries[0].answer(null, [{ one: 1 }]);
      expect(answer).toHaveBeenCalledWith(null, [{ one: 1 }]);
      expect(connection.destroyed).toBe(0);
      expect(jest.getTimerCount()).toBe(0);
    },
  );
});

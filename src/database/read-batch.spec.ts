import { DeadlineExceeded } from './deadline';
import { ReadBatch, ReadBatchOptions, ReadLane } from './read-batch';

/** A database the test answers by hand, query by query: each query's items and its answer. */
function manual() {
  const queries: {
    items: readonly string[];
    answer(): void;
    fail(error: Error): void;
  }[] = [];
  const read = (items: readonly string[]) =>
    new Promise<string[]>((resolve, reject) =>
      queries.push({
        items,
        answer: () => resolve(items.map((item) => `row of ${item}`)),
        fail: reject,
      }),
    );
  return { queries, read };
}

/** Lets every pending immediate and promise callback run. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A batch over `db`: one query at a time, ten reads each, a minute's wait unless told. */
function batchOver(db: ReturnType<typeof manual>, options: Partial<ReadBatchOptions> = {}) {
  return new ReadBatch(db.read, { maxInFlight: 1, maxReads: 10, maxWaitMs: 60_000, ...options });
}

/** Read `a` sent in a query of its own, read `b` asked for after it started, waiting. */
async function oneRunningOneWaiting(options: Partial<ReadBatchOptions> = {}) {
  const db = manual();
  const batch = batchOver(db, options);
  const running = batch.load('a');
  await turn();
  const waiting = batch.load('b');
  await turn();
  return { db, batch, running, waiting };
}

describe('ReadBatch', () => {
  it('answers the reads asked for in one turn with one query, each its own answer', async () => {
    const db = manual();
    const batch = batchOver(db, { maxInFlight: 2 });
    const answers = Promise.all(['a', 'b', 'c'].map((item) => batch.load(item)));
    await turn();
    expect(db.queries.map((query) => query.items)).toEqual([['a', 'b', 'c']]);
    db.queries[0].answer();
    await expect(answers).resolves.toEqual(['row of a', 'row of b', 'row of c']);
  });

  it('starts a lone read at the end of its turn, waiting for no timer', async () => {
    const db = manual();
    const batch = batchOver(db);
    const answer = batch.load('a');
    expect(db.queries).toHaveLength(0);
    await turn();
    expect(db.queries).toHaveLength(1);
    db.queries[0].answer();
    await expect(answer).resolves.toBe('row of a');
  });

  it('runs at most maxInFlight queries; reads asked for meanwhile go in the next one, together', async () => {
    const db = manual();
    const batch = batchOver(db, { maxInFlight: 2 });
    const first = batch.load('a');
    await turn();
    const second = batch.load('b');
    await turn();
    const waiting = ['c', 'd', 'e'].map((item) => batch.load(item));
    await turn();
    await turn();
    // Two queries run; the three later reads wait for one of them to end.
    expect(db.queries.map((query) => query.items)).toEqual([['a'], ['b']]);
    db.queries[1].answer();
    await expect(second).resolves.toBe('row of b');
    await turn();
    expect(db.queries.map((query) => query.items)).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    db.queries[2].answer();
    db.queries[0].answer();
    await expect(Promise.all([first, ...waiting])).resolves.toEqual([
      'row of a',
      'row of c',
      'row of d',
      'row of e',
    ]);
  });

  it('never puts a read in a query that started before it was asked for', async () => {
    const db = manual();
    const batch = batchOver(db);
    const early = batch.load('a');
    await turn();
    const late = batch.load('a');
    db.queries[0].answer();
    await expect(early).resolves.toBe('row of a');
    await turn();
    expect(db.queries).toHaveLength(2);
    db.queries[1].answer();
    await expect(late).resolves.toBe('row of a');
  });

  it('splits more than maxReads reads into queries of at most that many, in order', async () => {
    const db = manual();
    const batch = batchOver(db, { maxInFlight: 3, maxReads: 2 });
    const answers = Promise.all(['a', 'b', 'c', 'd', 'e'].map((item) => batch.load(item)));
    await turn();
    await turn();
    await turn();
    expect(db.queries.map((query) => query.items)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    for (const query of db.queries) query.answer();
    await expect(answers).resolves.toHaveLength(5);
  });

  it('fails the reads of a failed query alone: those waiting go in the next query', async () => {
    const { db, running: failed, waiting } = await oneRunningOneWaiting();
    const lost = new Error('connection lost');
    db.queries[0].fail(lost);
    await expect(failed).rejects.toBe(lost);
    await turn();
    expect(db.queries[1].items).toEqual(['b']);
    db.queries[1].answer();
    await expect(waiting).resolves.toBe('row of b');
  });

  it('fails those waiting too when a query missed its deadline, and then starts afresh', async () => {
    const { db, batch, running: hung, waiting } = await oneRunningOneWaiting();
    const silent = new DeadlineExceeded('query', 1_000);
    db.queries[0].fail(silent);
    await expect(hung).rejects.toBe(silent);
    await expect(waiting).rejects.toBe(silent);
    await turn();
    // The start scheduled for the waiting read finds nothing left to send.
    expect(db.queries).toHaveLength(1);
    const later = batch.load('c');
    await turn();
    expect(db.queries[1].items).toEqual(['c']);
    db.queries[1].answer();
    await expect(later).resolves.toBe('row of c');
  });

  it('fails a read kept waiting past maxWaitMs by a slow query, and sends the others', async () => {
    const {
      db,
      batch,
      running: slow,
      waiting: overdue,
    } = await oneRunningOneWaiting({ maxWaitMs: 30 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fresh = batch.load('c');
    db.queries[0].answer();
    await expect(slow).resolves.toBe('row of a');
    await expect(overdue).rejects.toBeInstanceOf(DeadlineExceeded);
    await turn();
    expect(db.queries[1].items).toEqual(['c']);
    db.queries[1].answer();
    await expect(fresh).resolves.toBe('row of c');
  });

  it('runs at most the lane limit of queries over all its batches; the longest waiting starts first', async () => {
    const db = manual();
    const lane = new ReadLane(2);
    const [x, y, z] = [0, 1, 2].map(() => batchOver(db, { maxInFlight: 2, lane }));
    const x1 = x.load('x1');
    const y1 = y.load('y1');
    await turn();
    // The lane is full: z then x queue for it, though x runs one query of its own maxInFlight.
    const z1 = z.load('z1');
    await turn();
    const x2 = x.load('x2');
    await turn();
    await turn();
    expect(db.queries.map((query) => query.items)).toEqual([['x1'], ['y1']]);
    db.queries[1].answer();
    await expect(y1).resolves.toBe('row of y1');
    await turn();
    await turn();
    expect(db.queries.map((query) => query.items)).toEqual([['x1'], ['y1'], ['z1']]);
    db.queries[0].answer();
    await expect(x1).resolves.toBe('row of x1');
    await turn();
    await turn();
    expect(db.queries.map((query) => query.items)).toEqual([['x1'], ['y1'], ['z1'], ['x2']]);
    db.queries[2].answer();
    db.queries[3].answer();
    await expect(Promise.all([z1, x2])).resolves.toEqual(['row of z1', 'row of x2']);
  });

  it("counts the lane's queries, the reads they carried, failed queries and overdue reads", async () => {
    const lane = new ReadLane(1);
    const {
      db,
      batch,
      running: slow,
      waiting: overdue,
    } = await oneRunningOneWaiting({ maxWaitMs: 30, lane });
    const other = batchOver(db, { maxWaitMs: 30, lane });
    const together = ['c', 'd'].map((item) => other.load(item).catch(() => 'gave up'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    db.queries[0].answer();
    await expect(slow).resolves.toBe('row of a');
    await expect(overdue).rejects.toBeInstanceOf(DeadlineExceeded);
    await turn();
    await turn();
    // The other batch waited for the lane as long: its reads were given up as well.
    await expect(Promise.all(together)).resolves.toEqual(['gave up', 'gave up']);
    const failed = batch.load('e');
    await turn();
    db.queries[1].fail(new Error('connection lost'));
    await expect(failed).rejects.toThrow('connection lost');
    expect(lane.counters).toEqual({ queries: 2, reads: 2, failures: 1, overdue: 3 });
    expect(other.counters).toBe(lane.counters);
  });

  it('fails the reads of a query that throws instead of answering', async () => {
    const batch = new ReadBatch<string, string>(
      () => {
        throw new Error('no statement');
      },
      { maxInFlight: 1, maxReads: 10, maxWaitMs: 60_000 },
    );
    await expect(batch.load('a')).rejects.toThrow('no statement');
  });
});

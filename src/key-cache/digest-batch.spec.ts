import fc from 'fast-check';
import { ApiError } from '../common/api-error';
import { BatchLookup, DigestBatch, digestBatchOptions } from './digest-batch';

const OPTIONS = { windowMs: 10, maxDigests: 4, deadlineMs: 1_000 };

/** A key table read at the moment each query starts, and the queries it was sent. */
function table(rows: string[] = []) {
  const keys = new Set(rows);
  const queries: { at: number; digests: readonly string[] }[] = [];
  const lookup: BatchLookup<string> = (digests) => {
    queries.push({ at: performance.now(), digests });
    const found = new Map<string, string>();
    for (const digest of digests) if (keys.has(digest)) found.set(digest, `record:${digest}`);
    return Promise.resolve(found);
  };
  return { keys, queries, lookup };
}

/** A lookup the test answers by hand, query by query. */
function manual() {
  const calls: {
    digests: readonly string[];
    answer(found: string[]): void;
    fail(error: unknown): void;
  }[] = [];
  const lookup: BatchLookup<string> = (digests) =>
    new Promise((resolve, reject) =>
      calls.push({
        digests,
        answer: (found) => resolve(new Map(found.map((digest) => [digest, `record:${digest}`]))),
        fail: reject,
      }),
    );
  return { calls, lookup };
}

/** Settles what the fake timers and promises can settle now, without moving the clock. */
const flush = () => jest.advanceTimersByTimeAsync(0);

describe('DigestBatch', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers digests asked for together with one query: records for the found, null for the rest', async () => {
    const { lookup, queries } = table(['a', 'c']);
    const batch = new DigestBatch(lookup, OPTIONS);
    const answers = Promise.all(['a', 'b', 'c'].map((digest) => batch.load(digest)));
    await flush();
    expect(await answers).toEqual(['record:a', null, 'record:c']);
    expect(queries.map((query) => query.digests)).toEqual([['a', 'b', 'c']]);
    expect(batch.counters).toEqual({ queries: 1, digests: 3, failures: 0, timeouts: 0 });
  });

  it('starts a lone lookup on an idle replica at once, and the next one a window after it', async () => {
    const { lookup, queries } = table();
    const batch = new DigestBatch(lookup, OPTIONS);
    void batch.load('first');
    await flush();
    expect(queries.map((query) => query.at)).toEqual([0]);
    void batch.load('second');
    void batch.load('third');
    await jest.advanceTimersByTimeAsync(9);
    expect(queries).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(queries.map((query) => [query.at, query.digests])).toEqual([
      [0, ['first']],
      [10, ['second', 'third']],
    ]);
  });

  it('calls the lookup as its batch starts, in the timer that starts it, not a microtask later', () => {
    const { lookup, calls } = manual();
    const batch = new DigestBatch(lookup, OPTIONS);
    void batch.load('a');
    // Timers only, no promise settled: a lookup deferred to a microtask would not be called yet.
    jest.advanceTimersByTime(0);
    expect(calls.map((call) => call.digests)).toEqual([['a']]);
  });

  it('asks for a digest once per query, answering every caller', async () => {
    const { lookup, queries } = table(['a']);
    const batch = new DigestBatch(lookup, OPTIONS);
    const answers = Promise.all([batch.load('a'), batch.load('a'), batch.load('b')]);
    await flush();
    expect(await answers).toEqual(['record:a', 'record:a', null]);
    expect(queries.map((query) => query.digests)).toEqual([['a', 'b']]);
  });

  it('puts at most maxDigests in a query; the rest go in the next windows', async () => {
    const { lookup, queries } = table();
    const batch = new DigestBatch(lookup, OPTIONS);
    const answers = Promise.all(Array.from({ length: 10 }, (_, n) => batch.load(`d${n}`)));
    await jest.advanceTimersByTimeAsync(20);
    expect(await answers).toEqual(Array(10).fill(null));
    expect(queries.map((query) => [query.at, query.digests.length])).toEqual([
      [0, 4],
      [10, 4],
      [20, 2],
    ]);
  });

  it('runs one query at a time: a slow one holds the next batch until it answers', async () => {
    const { lookup, calls } = manual();
    const batch = new DigestBatch(lookup, OPTIONS);
    const first = batch.load('a');
    await flush();
    const second = batch.load('b');
    await jest.advanceTimersByTimeAsync(50);
    expect(calls).toHaveLength(1);
    calls[0].answer(['a']);
    await flush();
    expect(calls.map((call) => call.digests)).toEqual([['a'], ['b']]);
    calls[1].answer([]);
    expect([await first, await second]).toEqual(['record:a', null]);
  });

  it('never answers a digest from a query that started before it was asked for', async () => {
    const { lookup, calls } = manual();
    const batch = new DigestBatch(lookup, OPTIONS);
    const early = batch.load('k');
    await flush();
    // The key is created now; the query under way may not see it, the next one will.
    const late = batch.load('k');
    calls[0].answer([]);
    expect(await early).toBeNull();
    await jest.advanceTimersByTimeAsync(OPTIONS.windowMs);
    expect(calls.map((call) => call.digests)).toEqual([['k'], ['k']]);
    calls[1].answer(['k']);
    expect(await late).toBe('record:k');
  });

  it('fails every waiter of a failed query with its error, then goes on', async () => {
    const { lookup, calls } = manual();
    const batch = new DigestBatch(lookup, OPTIONS);
    const down = new Error('connect ECONNREFUSED');
    const failed = [batch.load('a'), batch.load('b')].map((answer) =>
      answer.then(
        () => 'answered',
        (error: unknown) => error,
      ),
    );
    await flush();
    calls[0].fail(down);
    expect(await Promise.all(failed)).toEqual([down, down]);
    const after = batch.load('c');
    await jest.advanceTimersByTimeAsync(OPTIONS.windowMs);
    calls[1].answer(['c']);
    expect(await after).toBe('record:c');
    expect(batch.counters).toMatchObject({ queries: 2, failures: 1, timeouts: 0 });
  });

  it('fails the waiters of a lookup that throws instead of rejecting, then goes on', async () => {
    const { lookup, calls } = manual();
    const broken = new Error('pool closed');
    let thrown = false;
    const batch = new DigestBatch<string>((digests) => {
      if (thrown) return lookup(digests);
      thrown = true;
      throw broken;
    }, OPTIONS);
    const failed = batch.load('a').then(
      () => 'answered',
      (error: unknown) => error,
    );
    await flush();
    expect(await failed).toBe(broken);
    const after = batch.load('b');
    await jest.advanceTimersByTimeAsync(OPTIONS.windowMs);
    calls[0].answer(['b']);
    expect(await after).toBe('record:b');
    expect(batch.counters).toMatchObject({ queries: 2, failures: 1, timeouts: 0 });
  });

  it('gives up a query that does not answer by the deadline: a 503 to each of its waiters, and the next batch starts', async () => {
    const { lookup, calls } = manual();
    const batch = new DigestBatch(lookup, OPTIONS);
    const hung = [batch.load('a'), batch.load('b')].map((answer) =>
      answer.then(
        () => 'answered',
        (error: unknown) => error,
      ),
    );
    await flush();
    const queued = batch.load('c');
    await jest.advanceTimersByTimeAsync(OPTIONS.deadlineMs - 1);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    const errors = await Promise.all(hung);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        status: 503,
        body: { generalErrors: [{ code: '[ServiceUnavailable]' }] },
      });
    }
    // The hung query's late answer changes nothing; the next batch is under way.
    calls[0].answer(['a', 'b']);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls.map((call) => call.digests)).toEqual([['a', 'b'], ['c']]);
    calls[1].answer(['c']);
    expect(await queued).toBe('record:c');
    expect(batch.counters).toMatchObject({ queries: 2, failures: 0, timeouts: 1 });
  });

  it('finds every key that exists when asked for, and starts at most one query per window (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            after: fc.integer({ min: 0, max: 15 }),
            digest: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
            create: fc.boolean(),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        async (steps) => {
          jest.useFakeTimers();
          const { keys, queries, lookup } = table();
          const batch = new DigestBatch(lookup, OPTIONS);
          const asked: { digest: string; existed: boolean; answer: Promise<string | null> }[] = [];
          for (const { after, digest, create } of steps) {
            await jest.advanceTimersByTimeAsync(after);
            if (create) keys.add(digest);
            asked.push({ digest, existed: keys.has(digest), answer: batch.load(digest) });
          }
          await jest.advanceTimersByTimeAsync(10 * OPTIONS.windowMs * steps.length);
          for (const { digest, existed, answer } of asked) {
            // Created later, a key may be found too; existing already, it must be.
            if (existed) expect(await answer).toBe(`record:${digest}`);
          }
          for (let i = 1; i < queries.length; i++)
            expect(queries[i].at - queries[i - 1].at).toBeGreaterThanOrEqual(OPTIONS.windowMs);
          for (const query of queries)
            expect(query.digests.length).toBeLessThanOrEqual(OPTIONS.maxDigests);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('DigestBatch on the real clock', () => {
  it('keeps a full window between query starts, though timers fire on whole milliseconds of a cached loop time', async () => {
    const { lookup, queries } = table();
    const batch = new DigestBatch(lookup, OPTIONS);
    const until = performance.now() + 400;
    let n = 0;
    // A flood: a new digest on every turn of the event loop.
    while (performance.now() < until) {
      void batch.load(`flood-${n++}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const gaps = queries.slice(1).map((query, i) => query.at - queries[i].at);
    expect(gaps.length).toBeGreaterThan(20);
    // The lookup is called as its batch starts; the margin covers the clock reads, far below
    // a timer's early firing.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(OPTIONS.windowMs - 0.2);
  });
});

describe('digestBatchOptions', () => {
  it('keeps the 10 ms window for MySQL, shared by every replica, and takes 1 ms for an embedded SQLite file', () => {
    expect(digestBatchOptions('mysql', 2_500)).toEqual({
      windowMs: 10,
      maxDigests: 500,
      deadlineMs: 2_500,
    });
    expect(digestBatchOptions('sqlite', 2_500)).toEqual({
      windowMs: 1,
      maxDigests: 500,
      deadlineMs: 2_500,
    });
  });
});

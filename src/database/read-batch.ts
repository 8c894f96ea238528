import { DeadlineExceeded } from './deadline';

export interface ReadBatchOptions {
  /** Most queries running at once; a read asked for while they all run waits for the next. */
  maxInFlight: number;
  /** Most reads answered by one query; the rest go in the next one. */
  maxReads: number;
  /** A read not sent within this many milliseconds fails as a pool that gives no connection does. */
  maxWaitMs: number;
  /** The lane this batch shares with others: their queries at once, together, and counts. */
  lane?: ReadLane;
}

/** What the batches of a lane did since start. */
export interface ReadBatchCounters {
  /** Queries started. */
  queries: number;
  /** Reads those queries carried. */
  reads: number;
  /** Queries that failed (their reads, and those a missed deadline took along, failed too). */
  failures: number;
  /** Reads given up after waiting `maxWaitMs` to be sent. */
  overdue: number;
}

/**
 * Batches sharing a bound: however many shapes of read are busy at once, their queries hold
 * at most `limit` connections together, so the rest of the pool stays free for writes and
 * key lookups. A batch kept out by the bound waits its turn: when a query ends, the batches
 * that waited longest start first.
 */
export class ReadLane {
  readonly counters: ReadBatchCounters = { queries: 0, reads: 0, failures: 0, overdue: 0 };
  private inFlight = 0;
  private readonly waiting = new Set<{ schedule(): void }>();

  constructor(readonly limit: number) {}

  /** Takes a place for a query, or queues `batch` for the next free one. */
  enter(batch: { schedule(): void }): boolean {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      return true;
    }
    this.waiting.add(batch);
    return false;
  }

  /** Gives a place back and lets the batches that waited for one try again, oldest first. */
  leave(): void {
    this.inFlight--;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const batch of waiting) batch.schedule();
  }
}

/** Answers `items` in one query, one answer per item, in their order. */
export type BatchRead<T, R> = (items: readonly T[]) => Promise<readonly R[]>;

interface Waiter<T, R> {
  item: T;
  askedAt: number;
  resolve(answer: R): void;
  reject(error: unknown): void;
}

/**
 * Reads of one shape answered together: every read asked for in one turn of the event loop,
 * or while `maxInFlight` queries run (or the lane's `limit`, all batches of the lane
 * together), goes in the next query, which starts after it was asked for, so it sees every
 * write that finished before. Under concurrent load many reads share
 * one round trip to the database (one statement sent, one answer parsed, one wake-up of the
 * database's thread); a lone read on an idle replica waits for nothing but the end of its
 * turn. A read kept waiting longer than `maxWaitMs` by slow queries ahead of it fails with a
 * `DeadlineExceeded` (a 503), as it would have waiting for a pooled connection. A query that
 * fails fails its own reads; one that missed its deadline fails those waiting too, since
 * they would wait for the same silent database.
 */
export class ReadBatch<T, R> {
  private pending: Waiter<T, R>[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly lane: ReadLane;

  constructor(
    private readonly read: BatchRead<T, R>,
    private readonly options: ReadBatchOptions,
  ) {
    this.lane = options.lane ?? new ReadLane(options.maxInFlight);
  }

  get counters(): Readonly<ReadBatchCounters> {
    return this.lane.counters;
  }

  load(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, askedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  schedule(): void {
    if (this.scheduled || this.pending.length === 0) return;
    if (this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    this.failOverdue();
    // A failure may have emptied the queue since this start was scheduled.
    if (this.pending.length === 0) return;
    // The lane's last place may have gone to another batch since.
    if (!this.lane.enter(this)) return;
    const batch = this.pending.splice(0, this.options.maxReads);
    this.inFlight++;
    this.lane.counters.queries++;
    this.lane.counters.reads += batch.length;
    const settled = (): void => {
      this.inFlight--;
      // Batches that waited for the lane go first; this one queues behind them if need be.
      this.lane.leave();
      this.schedule();
    };
    Promise.resolve()
      .then(() => this.read(batch.map((waiter) => waiter.item)))
      .then(
        (answers) => {
          settled();
          batch.forEach((waiter, i) => waiter.resolve(answers[i]));
        },
        (error: unknown) => {
          this.lane.counters.failures++;
          if (error instanceof DeadlineExceeded) batch.push(...this.pending.splice(0));
          settled();
          for (const waiter of batch) waiter.reject(error);
        },
      );
    this.schedule();
  }

  private failOverdue(): void {
    const cutoff = performance.now() - this.options.maxWaitMs;
    let overdue = 0;
    while (overdue < this.pending.length && this.pending[overdue].askedAt < cutoff) overdue++;
    if (overdue === 0) return;
    this.lane.counters.overdue += overdue;
    const error = new DeadlineExceeded('waiting to read', this.options.maxWaitMs);
    for (const waiter of this.pending.splice(0, overdue)) waiter.reject(error);
  }
}

import { DeadlineExceeded } from './deadline';

export interface ReadBatchOptions {
  /** Most queries running at once; a read asked for while they all run waits for the next. */
  maxInFlight: number;
  /** Most reads answered by one query; the rest go in the next one. */
  maxReads: number;
  /** A read not sent within this many milliseconds fails as a pool that gives no connection does. */
  maxWaitMs: number;
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
 * or while `maxInFlight` queries run, goes in the next query, which starts after it was asked
 * for, so it sees every write that finished before. Under concurrent load many reads share
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

  constructor(
    private readonly read: BatchRead<T, R>,
    private readonly options: ReadBatchOptions,
  ) {}

  load(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, askedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
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
    const batch = this.pending.splice(0, this.options.maxReads);
    this.inFlight++;
    const settled = (): void => {
      this.inFlight--;
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
    const error = new DeadlineExceeded('waiting to read', this.options.maxWaitMs);
    for (const waiter of this.pending.splice(0, overdue)) waiter.reject(error);
  }
}

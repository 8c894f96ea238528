export interface ReadBatchOptions {
  /** Most queries running at once; a read asked for while they all run waits for the next. */
  maxInFlight: number;
  /** Most reads answered by one query; the rest go in the next one. */
  maxReads: number;
}

/** Answers `items` in one query, one answer per item, in their order. */
export type BatchRead<T, R> = (items: readonly T[]) => Promise<readonly R[]>;

interface Waiter<T, R> {
  item: T;
  resolve(answer: R): void;
  reject(error: unknown): void;
}

/**
 * Reads of one shape answered together: every read asked for in one turn of the event loop,
 * or while `maxInFlight` queries run, goes in the next query, which starts after it was asked
 * for, so it sees every write that finished before. Under concurrent load many reads share
 * one round trip to the database (one statement sent, one answer parsed, one wake-up of the
 * database's thread); a lone read on an idle replica waits for nothing but the end of its
 * turn. A query that fails fails its reads and those still waiting: they would wait for the
 * same database, which the pool's deadlines have just found wanting.
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
      this.pending.push({ item, resolve, reject });
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
          const waiting = this.pending;
          this.pending = [];
          settled();
          for (const waiter of [...batch, ...waiting]) waiter.reject(error);
        },
      );
    this.schedule();
  }
}

import { ApiError } from '../common/api-error';
import type { DatabaseSettings } from '../config/config.schema';

export interface DigestBatchOptions {
  /** At most one query starts per this many milliseconds: a flood costs queries per window. */
  windowMs: number;
  /** Most digests in one query; the rest go in the next window's. */
  maxDigests: number;
  /** A query not answered by then fails every waiter of its batch with a 503. */
  deadlineMs: number;
}

/**
 * One query per 10 ms at most, whatever the rate of unknown digests (at most 100 a second
 * per replica, each an indexed `IN` lookup); a lone miss on an idle replica does not wait.
 */
export const DIGEST_BATCH_DEFAULTS: Readonly<DigestBatchOptions> = Object.freeze({
  windowMs: 10,
  maxDigests: 500,
  deadlineMs: 10_000,
});

/**
 * The window for an embedded SQLite file. Its lookups run in-process and are shared with no
 * other replica, so a flood may cost up to 1,000 of them a second (each an indexed `IN` of
 * at most `maxDigests` digests, tens of microseconds); a made-up key then waits at most 1 ms
 * instead of 10, and a flood of them no longer holds each connection for a window.
 */
export const SQLITE_DIGEST_WINDOW_MS = 1;

/** The batch options for a dialect, with the pool's query deadline as the batch's. */
export function digestBatchOptions(
  dialect: DatabaseSettings['dialect'],
  deadlineMs: number,
): DigestBatchOptions {
  return {
    ...DIGEST_BATCH_DEFAULTS,
    windowMs: dialect === 'sqlite' ? SQLITE_DIGEST_WINDOW_MS : DIGEST_BATCH_DEFAULTS.windowMs,
    deadlineMs,
  };
}

/** Reads the rows of these digests: the found ones by digest, the others absent. */
export type BatchLookup<R> = (digests: readonly string[]) => Promise<ReadonlyMap<string, R>>;

export interface DigestBatchCounters {
  /** Queries started. */
  queries: number;
  /** Digests looked up, over all queries. */
  digests: number;
  /** Queries that failed, and queries that did not answer within the deadline. */
  failures: number;
  timeouts: number;
}

interface Waiter<R> {
  resolve(record: R | null): void;
  reject(error: unknown): void;
}

/**
 * Lookups of digests the cache does not hold, grouped: every digest asked for waits for
 * the next query, which starts after it was asked for, so a key that exists when it is
 * asked for is found, however late the bus announces it (the database, not the bus,
 * decides). One query at a time, at most one per window; a flood of made-up keys thus
 * costs a bounded number of queries a second whatever its rate, each answering a whole
 * window's worth of requests. On an idle replica a lone lookup starts at once.
 */
export class DigestBatch<R> {
  private pending = new Map<string, Waiter<R>[]>();
  private timer: NodeJS.Timeout | null = null;
  private querying = false;
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  readonly counters: DigestBatchCounters = { queries: 0, digests: 0, failures: 0, timeouts: 0 };

  constructor(
    private readonly lookup: BatchLookup<R>,
    private readonly options: DigestBatchOptions = DIGEST_BATCH_DEFAULTS,
  ) {}

  /** The record of this digest, or null when no key has it, as of a read started after now. */
  load(digest: string): Promise<R | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(digest);
      if (waiters === undefined) this.pending.set(digest, [{ resolve, reject }]);
      else waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer !== null || this.querying || this.pending.size === 0) return;
    const wait = this.lastStartedAt + this.options.windowMs - performance.now();
    // Timers count whole milliseconds from the loop's cached time, so they may fire up to
    // a millisecond or two early: one that does is set again for what is left.
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (performance.now() < this.lastStartedAt + this.options.windowMs) this.schedule();
        else this.start();
      },
      Math.max(0, Math.ceil(wait)),
    );
  }

  private take(): Map<string, Waiter<R>[]> {
    if (this.pending.size <= this.options.maxDigests) {
      const all = this.pending;
      this.pending = new Map();
      return all;
    }
    const batch = new Map<string, Waiter<R>[]>();
    for (const [digest, waiters] of this.pending) {
      if (batch.size === this.options.maxDigests) break;
      batch.set(digest, waiters);
      this.pending.delete(digest);
    }
    return batch;
  }

  private start(): void {
    const batch = this.take();
    this.querying = true;
    this.lastStartedAt = performance.now();
    this.counters.queries++;
    this.counters.digests += batch.size;
    let settled = false;
    const settle = (answer: (waiter: Waiter<R>, digest: string) => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      this.querying = false;
      for (const [digest, waiters] of batch) for (const waiter of waiters) answer(waiter, digest);
      this.schedule();
    };
    // A query that never answers (a database that accepts and stays silent) is given up:
    // its waiters get a 503, and the next batch may start.
    const deadline = setTimeout(() => {
      this.counters.timeouts++;
      const unavailable = ApiError.general('ServiceUnavailable');
      settle((waiter) => waiter.reject(unavailable));
    }, this.options.deadlineMs);
    // The lookup is called now, so the window counts from its real start; a lookup that
    // throws rather than rejects becomes a rejection all the same.
    const query = (async () => this.lookup([...batch.keys()]))();
    void query.then(
      (found) => settle((waiter, digest) => waiter.resolve(found.get(digest) ?? null)),
      (error: unknown) => {
        if (!settled) this.counters.failures++;
        settle((waiter) => waiter.reject(error));
      },
    );
  }
}

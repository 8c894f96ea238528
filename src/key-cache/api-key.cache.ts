import { ApiKeyRecord } from './api-key.record';

export interface ApiKeyCacheOptions {
  /** Longest a positive entry is trusted without a re-read. */
  ttlMs: number;
  /** How long an unknown digest is remembered as unknown. */
  negativeTtlMs: number;
  maxEntries: number;
  maxNegativeEntries: number;
  now?: () => number;
  /** Whether a digest may name a key; false spares the lookup (a flood of made-up keys). */
  mightExist?: (digest: string) => boolean | Promise<boolean>;
}

interface Entry {
  readonly record: ApiKeyRecord | null;
  readonly expiresAt: number;
}

interface Flight {
  readonly promise: Promise<ApiKeyRecord | null>;
  /** Set when an invalidation arrives while the load is under way: its result must not fill. */
  stale: boolean;
}

export type FlushReason = 'bus-resync' | 'manual';

export interface CacheCounters {
  hits: number;
  misses: number;
  loads: number;
  staleFillsDropped: number;
  evictions: number;
  flushes: Record<string, number>;
}

type Loader = (digest: string) => Promise<ApiKeyRecord | null>;

/**
 * API keys by digest, per replica. A hit answers synchronously; misses share one
 * database read per digest; an eviction during a read makes that read's result
 * unusable for filling (a slower, older load never overwrites a newer state).
 */
export class ApiKeyCache {
  private readonly positive = new Map<string, Entry>();
  private readonly negative = new Map<string, Entry>();
  private readonly flights = new Map<string, Flight>();
  private readonly now: () => number;
  readonly counters: CacheCounters = {
    hits: 0,
    misses: 0,
    loads: 0,
    staleFillsDropped: 0,
    evictions: 0,
    flushes: {},
  };

  constructor(
    private readonly loader: Loader,
    private readonly options: ApiKeyCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The record, null for an unknown digest, or a promise of either on a miss. */
  get(digest: string): ApiKeyRecord | null | Promise<ApiKeyRecord | null> {
    const now = this.now();
    const entry = this.positive.get(digest) ?? this.negative.get(digest);
    if (entry !== undefined && entry.expiresAt > now) {
      this.counters.hits++;
      return entry.record;
    }
    this.counters.misses++;
    const flight = this.flights.get(digest);
    if (flight !== undefined) return flight.promise;
    const maybe = this.options.mightExist?.(digest) ?? true;
    if (maybe === true) return this.load(digest);
    if (maybe === false) return null;
    return maybe.then((exists) =>
      exists ? (this.flights.get(digest)?.promise ?? this.load(digest)) : null,
    );
  }

  private load(digest: string): Promise<ApiKeyRecord | null> {
    this.counters.loads++;
    const flight: Flight = {
      stale: false,
      promise: this.loader(digest).then(
        (record) => {
          if (this.flights.get(digest) === flight) this.flights.delete(digest);
          if (!flight.stale) {
            this.fill(digest, record);
            return record;
          }
          this.counters.staleFillsDropped++;
          return this.flights.get(digest)?.promise ?? this.load(digest);
        },
        (error: unknown) => {
          if (this.flights.get(digest) === flight) this.flights.delete(digest);
          throw error;
        },
      ),
    };
    this.flights.set(digest, flight);
    return flight.promise;
  }

  private fill(digest: string, record: ApiKeyRecord | null): void {
    const now = this.now();
    // A refill replaces the digest's old entry: it must not count against the bound.
    this.positive.delete(digest);
    this.negative.delete(digest);
    if (record === null) {
      this.bounded(this.negative, this.options.maxNegativeEntries).set(digest, {
        record,
        expiresAt: now + this.options.negativeTtlMs,
      });
      return;
    }
    const ttlEnd = now + this.options.ttlMs;
    const expiry = record.expirationInstant;
    // An already expired key is cached like any other: the guard refuses it on every use.
    const expiresAt = expiry !== null && expiry > now ? Math.min(ttlEnd, expiry) : ttlEnd;
    this.bounded(this.positive, this.options.maxEntries).set(digest, { record, expiresAt });
  }

  private bounded(map: Map<string, Entry>, max: number): Map<string, Entry> {
    while (map.size >= max) {
      const oldest = map.keys().next().value as string;
      map.delete(oldest);
      this.counters.evictions++;
    }
    return map;
  }

  /** Forget one digest, and spoil any read of it now under way. */
  evict(digest: string): void {
    this.positive.delete(digest);
    this.negative.delete(digest);
    const flight = this.flights.get(digest);
    if (flight !== undefined) {
      flight.stale = true;
      this.flights.delete(digest);
    }
  }

  /** Forget everything. */
  flush(reason: FlushReason): void {
    this.positive.clear();
    this.negative.clear();
    for (const flight of this.flights.values()) flight.stale = true;
    this.flights.clear();
    this.counters.flushes[reason] = (this.counters.flushes[reason] ?? 0) + 1;
  }

  size(): { positive: number; negative: number } {
    return { positive: this.positive.size, negative: this.negative.size };
  }
}

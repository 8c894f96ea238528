import { Permissions } from '../auth/permissions';
import { ApiKeyRecord } from './api-key.record';
import { Interner } from './interner';
import { withDeadline } from '../database/deadline';
import { evictOldest } from '../common/evict-oldest';

export interface ApiKeyCacheOptions {
  /** Longest a positive entry is trusted without a re-read. */
  ttlMs: number;
  /** How long an unknown digest is remembered as unknown. */
  negativeTtlMs: number;
  maxEntries: number;
  maxNegativeEntries: number;
  now?: () => number;
  /** Run before every lookup: applies evictions that arrived off the event loop. */
  beforeLookup?: () => void;
  /** Longest a shared load may take: then its waiters get the 503 and the next miss loads afresh. */
  loadDeadlineMs?: number;
}

/** A cached key: the record and the end of its trust in one object, its shared parts shared. */
interface CachedKey extends ApiKeyRecord {
  readonly cachedUntil: number;
}

/** Distinct tenants, IP ACLs and permission sets held once each, up to this many. */
const INTERNED_MAX = 10_000;

/** Equal sets, equal keys; unequal sets never collide, whatever the endpoint names hold. */
function permissionsKey(permissions: ReadonlyMap<string, number>): string {
  return JSON.stringify([...permissions]);
}

interface Flight {
  readonly promise: Promise<ApiKeyRecord | null>;
  /** Set when an invalidation arrives while the load is under way: its result must not fill. */
  stale: boolean;
}

export type FlushReason = 'bus-resync' | 'eviction-lane-overrun' | 'manual';

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
  private readonly positive = new Map<string, CachedKey>();
  /** Unknown digests, and until when they count as unknown. */
  private readonly negative = new Map<string, number>();
  private readonly ids = new Interner<string>(INTERNED_MAX);
  private readonly permissionSets = new Interner<Permissions>(INTERNED_MAX);
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
    this.options.beforeLookup?.();
    const now = this.now();
    const cached = this.positive.get(digest);
    if (cached !== undefined && cached.cachedUntil > now) {
      this.counters.hits++;
      return cached;
    }
    const unknownUntil = this.negative.get(digest);
    if (unknownUntil !== undefined && unknownUntil > now) {
      this.counters.hits++;
      return null;
    }
    this.counters.misses++;
    const flight = this.flights.get(digest);
    if (flight !== undefined) return flight.promise;
    return this.load(digest);
  }

  private load(digest: string): Promise<ApiKeyRecord | null> {
    this.counters.loads++;
    const deadline = this.options.loadDeadlineMs;
    const loading = this.loader(digest);
    const flight: Flight = {
      stale: false,
      promise: (deadline === undefined
        ? loading
        : withDeadline(loading, deadline, 'an API key lookup')
      ).then(
        (record) => {
          if (this.flights.get(digest) === flight) this.flights.delete(digest);
          if (!flight.stale) return this.fill(digest, record);
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

  private fill(digest: string, record: ApiKeyRecord | null): ApiKeyRecord | null {
    const now = this.now();
    // A refill replaces the digest's old entry: it must not count against the bound.
    this.positive.delete(digest);
    this.negative.delete(digest);
    if (record === null) {
      this.bounded(this.negative, this.options.maxNegativeEntries).set(
        digest,
        now + this.options.negativeTtlMs,
      );
      return null;
    }
    const ttlEnd = now + this.options.ttlMs;
    const expiry = record.expirationInstant;
    // An already expired key is cached like any other: the guard refuses it on every use.
    const cachedUntil = expiry !== null && expiry > now ? Math.min(ttlEnd, expiry) : ttlEnd;
    const cached = this.pack(record, cachedUntil);
    this.bounded(this.positive, this.options.maxEntries).set(digest, cached);
    return cached;
  }

  /** Permission sets are shared between keys: they are read-only (`ReadonlyMap`), never changed. */
  private pack(record: ApiKeyRecord, cachedUntil: number): CachedKey {
    const { tenantId, ipAccessControlListId: aclId, permissions } = record;
    return Object.freeze({
      id: record.id,
      tenantId: tenantId === null ? null : this.ids.intern(tenantId, tenantId),
      keyManager: record.keyManager,
      permissions:
        permissions === null
          ? null
          : this.permissionSets.intern(permissionsKey(permissions), permissions),
      expirationInstant: record.expirationInstant,
      ipAccessControlListId: aclId === null ? null : this.ids.intern(aclId, aclId),
      rateLimit: record.rateLimit,
      cachedUntil,
    });
  }

  private bounded<V>(map: Map<string, V>, max: number): Map<string, V> {
    this.counters.evictions += evictOldest(map, max);
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

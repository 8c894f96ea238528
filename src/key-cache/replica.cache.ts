import { withDeadline } from '../database/deadline';
import { evictOldest } from '../common/evict-oldest';

export interface ReplicaCacheOptions {
  /** How long an entry is trusted without a message saying it changed. */
  readonly ttlMs: number;
  /** Beyond this many entries the oldest go first. */
  readonly maxEntries: number;
  /** A shared load is dropped after this, so a hung database holds no one for long. */
  readonly deadlineMs: number;
  /** Names the load in the deadline's error. */
  readonly what: string;
  readonly now?: () => number;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

/**
 * Rows a replica holds in memory, each loaded once however many requests ask at the same
 * time, and trusted for `ttlMs` at most (the bound on a lost change message). Evicting
 * bumps a generation: a load that began before the eviction delivers its answer to those
 * who waited for it but never stores it, so an older, slower read cannot bring back what a
 * change removed.
 */
export class ReplicaCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loads = new Map<string, Promise<V>>();
  private generation = 0;
  private readonly now: () => number;

  constructor(
    private readonly load: (key: string) => Promise<V>,
    private readonly options: ReplicaCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The value at once when held, else the (shared) load of it. */
  get(key: string): V | Promise<V> {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      if (entry.expiresAt > this.now()) return entry.value;
      this.entries.delete(key);
    }
    const pending = this.loads.get(key);
    if (pending !== undefined) return pending;
    const generation = this.generation;
    const load = withDeadline(this.load(key), this.options.deadlineMs, this.options.what).then(
      (value) => {
        if (generation === this.generation) this.store(key, value);
        return value;
      },
    );
    this.loads.set(key, load);
    const forget = () => {
      if (this.loads.get(key) === load) this.loads.delete(key);
    };
    load.then(forget, forget);
    return load;
  }

  evict(key: string): void {
    this.generation++;
    this.entries.delete(key);
    this.loads.delete(key);
  }

  /** Evicts every entry whose value matches (a change that names something values hold). */
  evictWhere(matches: (value: V) => boolean): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
    this.loads.clear();
  }

  flush(): void {
    this.generation++;
    this.entries.clear();
    this.loads.clear();
  }

  size(): number {
    return this.entries.size;
  }

  private store(key: string, value: V): void {
    this.entries.delete(key);
    evictOldest(this.entries, this.options.maxEntries);
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
  }
}

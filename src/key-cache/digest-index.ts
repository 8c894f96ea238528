/** Where the index reads digests from. */
export interface DigestSource {
  allDigests(): Promise<string[]>;
  /** Digests of keys created at or after the given epoch milliseconds. */
  digestsSince(instant: number): Promise<string[]>;
}

export interface DigestIndexOptions {
  /** Keys created this recently are looked for in the database too (messages in flight, clock skew). */
  recentWindowMs: number;
  /** How stale the recent window may be before it is read again. */
  recentRefreshMs: number;
  /** Database lookups of unknown digests allowed per second before the index answers alone. */
  lookupsPerSecond: number;
  now?: () => number;
}

/**
 * Every key digest that exists, per replica, so that a flood of made-up keys costs no
 * database query per request. While unknown digests are rare they still go to the
 * database (so a key created elsewhere moments ago is found whatever the bus did); past
 * a small budget per second, the index answers alone. It is trusted only while loaded
 * and while the bus says messages are flowing: after any resync it is read again.
 */
export class DigestIndex {
  private known: Set<string> | null = null;
  private loading: Promise<void> | null = null;
  private generation = 0;
  private recent = new Set<string>();
  private recentReadAt = 0;
  private recentReading: Promise<void> | null = null;
  private tokens: number;
  private tokensAt: number;
  private readonly now: () => number;
  /** Unknown digests refused by the index alone, without a query. */
  refusedWithoutQuery = 0;

  constructor(
    private readonly source: DigestSource,
    private readonly busHealthy: () => boolean,
    private readonly options: DigestIndexOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.tokens = options.lookupsPerSecond;
    this.tokensAt = this.now();
  }

  /** Reads every digest again; until it is done the index answers "maybe". */
  reload(): Promise<void> {
    const generation = ++this.generation;
    this.known = null;
    const added = new Set<string>();
    this.pendingAdds = added;
    this.loading = this.source.allDigests().then(
      (digests) => {
        if (generation !== this.generation) return;
        this.known = new Set(digests);
        for (const digest of added) this.known.add(digest);
        this.pendingAdds = null;
        this.loading = null;
      },
      () => {
        if (generation !== this.generation) return;
        this.pendingAdds = null;
        this.loading = null;
      },
    );
    return this.loading;
  }

  /** Digests created while a reload is reading: added once it lands. */
  private pendingAdds: Set<string> | null = null;

  added(digest: string): void {
    this.known?.add(digest);
    this.pendingAdds?.add(digest);
  }

  removed(digest: string): void {
    this.known?.delete(digest);
  }

  private trusted(): boolean {
    return this.known !== null && this.busHealthy();
  }

  private takeToken(): boolean {
    const now = this.now();
    const rate = this.options.lookupsPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((now - this.tokensAt) / 1000) * rate);
    this.tokensAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refreshRecent(): void {
    if (
      this.recentReading !== null ||
      this.now() - this.recentReadAt < this.options.recentRefreshMs
    )
      return;
    const startedAt = this.now();
    this.recentReading = this.source
      .digestsSince(startedAt - this.options.recentWindowMs)
      .then(
        (digests) => {
          this.recent = new Set(digests);
          this.recentReadAt = startedAt;
        },
        () => undefined,
      )
      .finally(() => {
        this.recentReading = null;
      });
  }

  /** False only when the digest certainly names no key: then no query is needed. */
  mightExist(digest: string): boolean {
    if (!this.trusted()) return true;
    if (this.known!.has(digest) || this.recent.has(digest)) return true;
    if (this.takeToken()) return true;
    this.refreshRecent();
    this.refusedWithoutQuery++;
    return false;
  }

  size(): number {
    return this.known?.size ?? 0;
  }
}

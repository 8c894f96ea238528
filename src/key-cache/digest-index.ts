const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SIXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64URL.length; i++) SIXTET[BASE64URL.charCodeAt(i)] = i;

/**
 * What the index holds of a digest: its first 30 bits (five base64url characters), a
 * small integer that costs a fraction of the string. Two digests can share a tag, so a
 * tag found only says "maybe" (a lookup decides); a tag not found is a sure "no".
 */
export function digestTag(digest: string): number {
  let tag = 0;
  for (let i = 0; i < 5; i++) {
    const code = digest.charCodeAt(i);
    const sixtet = code < 128 ? SIXTET[code] : -1;
    tag = (tag << 6) | (sixtet >= 0 ? sixtet : code & 63);
  }
  return tag;
}

function tags(digests: readonly string[]): Set<number> {
  const set = new Set<number>();
  for (const digest of digests) set.add(digestTag(digest));
  return set;
}

/** Where the index reads digests from. */
export interface DigestSource {
  allDigests(): Promise<string[]>;
  /** Digests of keys created at or after the given epoch milliseconds. */
  digestsSince(instant: number): Promise<string[]>;
}

export interface DigestIndexOptions {
  /** Margin before the last full read, for keys stamped by another replica's clock. */
  clockSkewMs: number;
  /** At most one read of recent keys per this many milliseconds. */
  recentReadIntervalMs: number;
  /** Database lookups of unknown digests allowed per second before reads are shared. */
  lookupsPerSecond: number;
  /** Pause before a refusal's second look, for creation messages already on their way. */
  secondLookMs: number;
  now?: () => number;
}

/**
 * Every key digest that exists, per replica, so that a flood of made-up keys costs a
 * bounded number of queries instead of one per request. While unknown digests are rare
 * each goes to the database. Past a small budget per second they are judged against a
 * snapshot of the keys created since the last full read (so a creation the bus lost or
 * has not delivered yet is still found), never older than one interval: a request that
 * finds it older waits for a read that starts after it arrived. At most one snapshot
 * read is under way at a time. Trusted only while loaded and while the bus says
 * messages flow; after any resync it is read again. It holds tags, not digests: a
 * hundred thousand keys cost a few megabytes.
 */
export class DigestIndex {
  private known: Set<number> | null = null;
  private loadedFrom = 0;
  private generation = 0;
  private pendingAdds: Set<number> | null = null;
  private snapshot: Set<number> | null = null;
  private snapshotFrom = Number.NEGATIVE_INFINITY;
  private reading: Promise<boolean> | null = null;
  private tokens: number;
  private tokensAt: number;
  private readonly now: () => number;
  /** Unknown digests refused from the snapshot, without a lookup of their own. */
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

  /** Reads every digest again, distrusting what it holds: until done it answers "maybe". */
  reload(): Promise<void> {
    this.known = null;
    return this.refresh();
  }

  /**
   * Reads every digest again while trusting what it holds (it holds every key it was
   * told of; a creation the bus lost is in the snapshot of recent keys). Deleted keys
   * leave the index here: a tag cannot be taken out, another key may share it.
   */
  refresh(): Promise<void> {
    const generation = ++this.generation;
    const startedAt = this.now();
    const added = new Set<number>();
    this.pendingAdds = added;
    return this.source.allDigests().then(
      (digests) => {
        if (generation !== this.generation) return;
        const known = tags(digests);
        for (const tag of added) known.add(tag);
        this.known = known;
        this.pendingAdds = null;
        this.loadedFrom = startedAt;
      },
      () => {
        if (generation === this.generation) this.pendingAdds = null;
      },
    );
  }

  added(digest: string): void {
    const tag = digestTag(digest);
    this.known?.add(tag);
    this.pendingAdds?.add(tag);
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

  /** One read of the keys created since the last full read; true when it succeeded. */
  private read(): Promise<boolean> {
    if (this.reading !== null) return this.reading;
    const startedAt = this.now();
    this.reading = this.source
      .digestsSince(this.loadedFrom - this.options.clockSkewMs)
      .then(
        (digests) => {
          if (startedAt >= this.snapshotFrom) {
            this.snapshot = tags(digests);
            this.snapshotFrom = startedAt;
          }
          return true;
        },
        () => false,
      )
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  /** A read that starts no earlier than now: after the one under way, if any. */
  private readFromNow(): Promise<boolean> {
    const underWay = this.reading;
    return underWay === null ? this.read() : underWay.then(() => this.read());
  }

  /**
   * Refuses only after a short pause and a second look: a creation message may already
   * sit unread on the bus socket (the request that uses a new key can overtake the
   * message announcing it), and a refusal costing a few milliseconds only slows a flood.
   */
  private judge(tag: number): boolean | Promise<boolean> {
    if (this.snapshot!.has(tag)) return true;
    return new Promise((resolve) => {
      setTimeout(() => {
        const found = this.known?.has(tag) === true || this.snapshot?.has(tag) === true;
        if (!found) this.refusedWithoutQuery++;
        resolve(found);
      }, this.options.secondLookMs);
    });
  }

  /** False only when the digest names no key as of a read at most one interval old. */
  mightExist(digest: string): boolean | Promise<boolean> {
    if (this.known === null || !this.busHealthy()) return true;
    const tag = digestTag(digest);
    if (this.known.has(tag) || this.takeToken()) return true;
    const age = this.now() - this.snapshotFrom;
    const interval = this.options.recentReadIntervalMs;
    if (this.snapshot !== null && age <= interval) {
      // Read ahead, so that a sustained flood rarely waits.
      if (age > interval / 2) void this.read();
      return this.judge(tag);
    }
    return this.readFromNow().then((succeeded) => (succeeded ? this.judge(tag) : true));
  }

  size(): number {
    return this.known?.size ?? 0;
  }
}

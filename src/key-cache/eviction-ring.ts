import type { ChangeEvent } from './key-change.bus';

export type KeyEventType = Extract<ChangeEvent, { digest: string }>['type'];

const KEY_EVENT_TYPES: readonly KeyEventType[] = ['key.created', 'key.updated', 'key.deleted'];
const DIGEST_BYTES = 32;
const WRITTEN = 0;
const SUBSCRIBED = 1;

/** One key change as the lane heard it. */
export interface LaneChange {
  readonly type: KeyEventType;
  readonly digest: string;
  /** Epoch milliseconds: when its replica sent it, when the lane heard it. */
  readonly sentAt: number;
  readonly heardAt: number;
}

export function isKeyEventType(type: string): type is KeyEventType {
  return (KEY_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * Digests of changed keys in memory shared by two threads: the eviction lane writes, the
 * main thread reads. One writer, one reader. The writer fills a slot, then publishes the
 * new count atomically; the reader copies the slots it has not seen, then reads the count
 * again: if the writer came a whole lap round meanwhile, what it copied may be torn, and
 * it says so instead of using it.
 */
export class EvictionRing {
  private readonly header: Uint32Array;
  /** Per slot: when the change was sent, and when the lane heard it (epoch ms). */
  private readonly times: Float64Array;
  private readonly digests: Uint8Array;
  private readonly types: Uint8Array;
  /** The reader's position (each thread holds its own ring object over the buffer). */
  private read = 0;

  static bytesFor(slots: number): number {
    return 8 + slots * (16 + DIGEST_BYTES + 1);
  }

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly slots: number,
  ) {
    // A power of two keeps slot numbers right when the count wraps past 2^32.
    if (!Number.isInteger(Math.log2(slots)) || buffer.byteLength < EvictionRing.bytesFor(slots))
      throw new Error(`an eviction ring needs a power-of-two slot count and room for it`);
    this.header = new Uint32Array(buffer, 0, 2);
    this.times = new Float64Array(buffer, 8, slots * 2);
    this.digests = new Uint8Array(buffer, 8 + slots * 16, slots * DIGEST_BYTES);
    this.types = new Uint8Array(buffer, 8 + slots * (16 + DIGEST_BYTES), slots);
    this.read = Atomics.load(this.header, WRITTEN);
  }

  /** Writer: one change. False when the digest is not a base64url SHA-256 (left to the bus). */
  write(type: KeyEventType, digest: string, sentAt: number, heardAt: number): boolean {
    const bytes = Buffer.from(digest, 'base64url');
    if (bytes.length !== DIGEST_BYTES || bytes.toString('base64url') !== digest) return false;
    const written = Atomics.load(this.header, WRITTEN);
    const slot = written % this.slots;
    this.digests.set(bytes, slot * DIGEST_BYTES);
    this.times[2 * slot] = sentAt;
    this.times[2 * slot + 1] = heardAt;
    this.types[slot] = KEY_EVENT_TYPES.indexOf(type);
    Atomics.store(this.header, WRITTEN, (written + 1) >>> 0);
    return true;
  }

  /** Writer: whether its subscription is up. */
  setSubscribed(subscribed: boolean): void {
    Atomics.store(this.header, SUBSCRIBED, subscribed ? 1 : 0);
  }

  subscribed(): boolean {
    return Atomics.load(this.header, SUBSCRIBED) === 1;
  }

  /**
   * Reader: hands every change written since the last call to `apply`, oldest first. False
   * when changes were lost to a lap of the writer: the caller must drop everything.
   */
  drain(apply: (change: LaneChange) => void): boolean {
    const written = Atomics.load(this.header, WRITTEN);
    if (written === this.read) return true;
    const from = this.read;
    const pending = (written - from) >>> 0;
    const changes: LaneChange[] = [];
    if (pending < this.slots) {
      for (let i = 0; i < pending; i++) {
        const slot = ((from + i) >>> 0) % this.slots;
        const start = slot * DIGEST_BYTES;
        changes.push({
          type: KEY_EVENT_TYPES[this.types[slot]],
          digest: Buffer.from(this.digests.subarray(start, start + DIGEST_BYTES)).toString(
            'base64url',
          ),
          sentAt: this.times[2 * slot],
          heardAt: this.times[2 * slot + 1],
        });
      }
    }
    const now = Atomics.load(this.header, WRITTEN);
    if (pending >= this.slots || (now - from) >>> 0 >= this.slots) {
      this.read = now;
      return false;
    }
    this.read = written;
    for (const change of changes) apply(change);
    return true;
  }
}

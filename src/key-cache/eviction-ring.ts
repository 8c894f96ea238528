import type { ChangeEvent } from './key-change.bus';

export type KeyEventType = Extract<ChangeEvent, { digest: string }>['type'];

const KEY_EVENT_TYPES: readonly KeyEventType[] = ['key.created', 'key.updated', 'key.deleted'];
const DIGEST_BYTES = 32;
// Header slots (Uint32): changes written, changes read, a change dropped for want of room,
// and whether the writer's subscription is up. 16 bytes keep what follows 8-aligned.
const WRITTEN = 0;
const READ = 1;
const OVERRUN = 2;
const SUBSCRIBED = 3;
const HEADER_BYTES = 16;

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
 * main thread reads; one writer, one reader. The writer fills a free slot, then publishes
 * the new count; the reader copies what it has not read, then publishes how far it read.
 * Both counts move only through Atomics, so neither thread ever sees a slot the other is
 * filling or has not finished with. When the ring is full the writer drops the change and
 * raises a flag: the reader then reports that changes were lost.
 */
export class EvictionRing {
  private readonly header: Uint32Array;
  /** Per slot: when the change was sent, and when the lane heard it (epoch ms). */
  private readonly times: Float64Array;
  private readonly digests: Uint8Array;
  private readonly types: Uint8Array;
  /** The reader's copy of READ: only the reader moves it, so it never needs reading back. */
  private read: number;

  static bytesFor(slots: number): number {
    return HEADER_BYTES + slots * (16 + DIGEST_BYTES + 1);
  }

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly slots: number,
  ) {
    // A power of two keeps slot numbers right when the counts wrap past 2^32.
    if (!Number.isInteger(Math.log2(slots)) || buffer.byteLength < EvictionRing.bytesFor(slots))
      throw new Error(`an eviction ring needs a power-of-two slot count and room for it`);
    this.header = new Uint32Array(buffer, 0, HEADER_BYTES / 4);
    this.times = new Float64Array(buffer, HEADER_BYTES, slots * 2);
    this.digests = new Uint8Array(buffer, HEADER_BYTES + slots * 16, slots * DIGEST_BYTES);
    this.types = new Uint8Array(buffer, HEADER_BYTES + slots * (16 + DIGEST_BYTES), slots);
    this.read = Atomics.load(this.header, READ);
  }

  /** Writer: one change. False when the digest is not a base64url SHA-256 (left to the bus). */
  write(type: KeyEventType, digest: string, sentAt: number, heardAt: number): boolean {
    const bytes = Buffer.from(digest, 'base64url');
    if (bytes.length !== DIGEST_BYTES || bytes.toString('base64url') !== digest) return false;
    const written = Atomics.load(this.header, WRITTEN);
    if ((written - Atomics.load(this.header, READ)) >>> 0 >= this.slots) {
      Atomics.store(this.header, OVERRUN, 1);
      return true;
    }
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
   * when the writer had to drop changes for want of room: the caller must drop everything.
   */
  drain(apply: (change: LaneChange) => void): boolean {
    const written = Atomics.load(this.header, WRITTEN);
    const read = this.read;
    // Read first, cleared only when set: the common case writes nothing shared.
    const lost =
      Atomics.load(this.header, OVERRUN) === 1 && Atomics.exchange(this.header, OVERRUN, 0) === 1;
    if (written === read) return !lost;
    if ((written - read) >>> 0 > this.slots) {
      // Counts no writer could have left: trust nothing in the ring.
      this.moveReadTo(written);
      return false;
    }
    const changes: LaneChange[] = [];
    for (let seq = read; seq !== written; seq = (seq + 1) >>> 0) {
      const slot = seq % this.slots;
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
    // Copied: the writer may reuse these slots from now on.
    this.moveReadTo(written);
    for (const change of changes) apply(change);
    return !lost;
  }

  private moveReadTo(position: number): void {
    this.read = position;
    Atomics.store(this.header, READ, position);
  }
}

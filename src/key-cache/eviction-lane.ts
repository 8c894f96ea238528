import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EvictionRing, KeyEventType, LaneChange } from './eviction-ring';
import type { RedisConnection } from './redis.options';
import { evictOldest } from '../common/evict-oldest';

/** Bounded: a change one path never brings is forgotten, oldest first. */
function remember(ids: Set<string>, id: string): void {
  evictOldest(ids, 10_000);
  ids.add(id);
}

export interface EvictionLaneOptions {
  connection: RedisConnection;
  /** The bus's changes channel. */
  channel: string;
  nodeId: string;
  /** The bus's heartbeat interval: the lane expects to hear its replica's beats; null: no check. */
  heartbeatMs?: number | null;
  /** Changes the main thread may fall behind by before it must drop its whole cache. */
  slots?: number;
  /** The compiled worker; by default the one beside this file. */
  workerFile?: string;
}

/** What the worker is started with. */
export interface EvictionLaneData {
  connection: RedisConnection;
  channel: string;
  nodeId: string;
  heartbeatMs: number | null;
  buffer: SharedArrayBuffer;
  slots: number;
}

/** Where the lane's changes go, on the main thread. */
export interface EvictionSink {
  evict(digest: string): void;
  /** Changes were lost (the main thread fell a whole ring behind): drop everything. */
  lost(): void;
  observeLag(type: KeyEventType, milliseconds: number): void;
}

/**
 * Key changes that do not wait for the event loop. A worker thread holds a subscription
 * of its own to the changes channel and writes the digest of every key another replica
 * changed into memory shared with the main thread, which reads it before every key
 * lookup (two atomic reads when nothing is new). A replica busy with requests thus stops
 * accepting a revoked key as soon as the worker has read the message, not once the
 * requests queued ahead of the message in its event loop are done. The bus still
 * delivers every change (the lane only evicts sooner, and eviction is idempotent);
 * without the worker, changes simply take the bus's path.
 */
export class EvictionLane {
  private readonly logger = new Logger('EvictionLane');
  private readonly ring: EvictionRing;
  private worker: Worker | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private sink: EvictionSink | null = null;
  /**
   * Each change reaches the replica twice, through the lane and through the bus; it is
   * timed once, by whichever applied it first. These remember which did, until the other
   * path brings the same change (digest and send time).
   */
  private readonly appliedByLane = new Set<string>();
  private readonly appliedByBus = new Set<string>();
  private readonly apply = (change: LaneChange): void => {
    this.sink?.evict(change.digest);
    const id = `${change.digest}@${change.sentAt}`;
    if (this.appliedByBus.delete(id)) return;
    remember(this.appliedByLane, id);
    this.sink?.observeLag(change.type, change.heardAt - change.sentAt);
  };

  constructor(private readonly options: EvictionLaneOptions) {
    const slots = options.slots ?? 8192;
    this.ring = new EvictionRing(new SharedArrayBuffer(EvictionRing.bytesFor(slots)), slots);
  }

  attach(sink: EvictionSink): void {
    this.sink = sink;
  }

  /** False when there is no worker to start (the service runs from sources, say). */
  start(): boolean {
    const file = this.options.workerFile ?? join(__dirname, 'eviction-lane.worker.js');
    if (!existsSync(file)) {
      this.logger.warn('no compiled eviction lane worker: key changes take the bus path only');
      return false;
    }
    this.stopping = false;
    return this.spawn(file);
  }

  private spawn(file: string): boolean {
    const data: EvictionLaneData = {
      connection: this.options.connection,
      channel: this.options.channel,
      nodeId: this.options.nodeId,
      heartbeatMs: this.options.heartbeatMs ?? null,
      buffer: this.ring.buffer,
      slots: this.ring.slots,
    };
    let worker: Worker;
    try {
      worker = new Worker(file, { workerData: data });
    } catch (error) {
      this.logger.warn(
        `eviction lane not started (${String(error)}): key changes take the bus path`,
      );
      return false;
    }
    worker.on('error', (error) => this.logger.warn(`eviction lane failed: ${error.message}`));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.ring.setSubscribed(false);
      if (this.stopping) return;
      // Meanwhile key changes take the bus path: slower under load, never lost.
      this.logger.warn('eviction lane stopped; starting it again in 1 s');
      this.restartTimer = setTimeout(() => {
        if (!this.stopping) this.spawn(file);
      }, 1_000);
      this.restartTimer.unref();
    });
    worker.unref();
    this.worker = worker;
    return true;
  }

  /** Applies whatever the worker wrote since the last call. */
  drain(): void {
    if (!this.ring.drain(this.apply)) this.sink?.lost();
  }

  /**
   * The bus delivered a key change (after `drain`): true when the lane applied it first
   * and has timed it; otherwise the caller times it, and the lane will not.
   */
  claim(digest: string, sentAt: number): boolean {
    const id = `${digest}@${sentAt}`;
    if (this.appliedByLane.delete(id)) return true;
    // Remembered even before the worker says it is subscribed: it may already hear.
    if (this.worker !== null) remember(this.appliedByBus, id);
    return false;
  }

  /** For operators: stopped (never started, or the worker failed), connecting or subscribed. */
  state(): 'stopped' | 'connecting' | 'subscribed' {
    if (this.worker === null) return 'stopped';
    return this.ring.subscribed() ? 'subscribed' : 'connecting';
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    const worker = this.worker;
    this.worker = null;
    this.ring.setSubscribed(false);
    if (worker === null) return;
    worker.postMessage('stop');
    await worker.terminate();
  }
}

import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { Beat, decode, encode } from './bus.codec';
import {
  BusListener,
  BusMessage,
  BusState,
  BusStats,
  KeyChangeBus,
  NodePresence,
} from './key-change.bus';
import { RedisConnection, redisOptions } from './redis.options';

export interface RedisBusOptions {
  connection: RedisConnection;
  prefix: string;
  heartbeatMs: number;
}

/**
 * The cluster bus: Redis pub/sub on one channel, with a dedicated subscriber
 * connection. Every (re)subscription flushes the replica's cache, since messages may
 * have been missed while it was away. A heartbeat proves that the subscription still
 * receives: a replica that does not hear its own beat within two intervals flushes and
 * reconnects. Publishing never waits for a connection: with Redis away it fails at
 * once, and the write that caused it stands.
 */
export class RedisBus extends KeyChangeBus {
  private readonly logger = new Logger('RedisBus');
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners: BusListener[] = [];
  private readonly channel: string;
  private state: BusState = 'connecting';
  private lastBeatHeardAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  private readonly counters: Omit<BusStats, 'state' | 'lastMessageAt'> = {
    garbage: 0,
    heartbeatMisses: 0,
    resyncs: {},
    lastResyncAt: null,
    publishFailures: 0,
  };
  private lastMessageAt: number | null = null;

  static changesChannel(prefix: string): string {
    return `${prefix}:changes`;
  }

  constructor(
    readonly nodeId: string,
    private readonly options: RedisBusOptions,
  ) {
    super();
    this.channel = RedisBus.changesChannel(options.prefix);
    this.publisher = new Redis(redisOptions(options.connection, nodeId, 'pub'));
    this.subscriber = new Redis({
      ...redisOptions(options.connection, nodeId, 'sub'),
      autoResubscribe: false,
    });
    this.subscriber.on('ready', () => void this.subscribeNow());
    this.subscriber.on('close', () => {
      if (this.state === 'subscribed') this.logger.warn('bus subscription lost; reconnecting');
      this.state = this.closing ? 'disconnected' : 'connecting';
    });
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
    // Connection errors surface as state; ioredis keeps retrying.
    this.subscriber.on('error', () => undefined);
    this.publisher.on('error', () => undefined);
  }

  async start(): Promise<void> {
    // Redis may be away at boot: the replica starts anyway and keeps trying.
    await Promise.allSettled([this.publisher.connect(), this.subscriber.connect()]);
    this.timer = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.timer.unref();
  }

  private async subscribeNow(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel);
    } catch {
      this.subscriber.disconnect(true);
      return;
    }
    this.state = 'subscribed';
    this.lastBeatHeardAt = Date.now();
    // Subscribed first, flushed second: a change committed after this is heard.
    this.resync('subscribed');
  }

  private resync(reason: string): void {
    this.counters.resyncs[reason] = (this.counters.resyncs[reason] ?? 0) + 1;
    this.counters.lastResyncAt = Date.now();
    for (const listener of this.listeners) listener.onResync(reason);
  }

  private beat(): void {
    if (
      this.state === 'subscribed' &&
      Date.now() - this.lastBeatHeardAt > 2 * this.options.heartbeatMs
    ) {
      this.counters.heartbeatMisses++;
      this.logger.warn('bus heartbeat not heard back; flushing the cache and reconnecting');
      this.state = 'connecting';
      this.resync('heartbeat');
      this.subscriber.disconnect(true);
      return;
    }
    const beat: Beat = { kind: 'beat', origin: this.nodeId, sentAt: Date.now() };
    this.publisher.publish(this.channel, encode(beat)).catch(() => undefined);
  }

  private receive(raw: string): void {
    const message = decode(raw);
    if (message === null) {
      this.counters.garbage++;
      return;
    }
    const now = Date.now();
    if (message.kind === 'beat') {
      if (message.origin === this.nodeId) this.lastBeatHeardAt = now;
      return;
    }
    this.lastMessageAt = now;
    for (const listener of this.listeners) listener.onMessage(message);
  }

  async publish(message: BusMessage): Promise<void> {
    try {
      await this.publisher.publish(this.channel, encode(message));
    } catch (error) {
      this.counters.publishFailures++;
      throw error;
    }
  }

  subscribe(listener: BusListener): void {
    this.listeners.push(listener);
  }

  stats(): BusStats {
    return {
      state: this.state,
      lastMessageAt: this.lastMessageAt,
      ...this.counters,
      resyncs: { ...this.counters.resyncs },
    };
  }

  private presenceKey(nodeId: string): string {
    return `${this.options.prefix}:node:${nodeId}`;
  }

  async announcePresence(presence: NodePresence, ttlSeconds: number): Promise<void> {
    await this.publisher.set(
      this.presenceKey(presence.nodeId),
      JSON.stringify(presence),
      'EX',
      ttlSeconds,
    );
  }

  async presences(): Promise<NodePresence[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.publisher.scan(
        cursor,
        'MATCH',
        this.presenceKey('*'),
        'COUNT',
        200,
      );
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    if (keys.length === 0) return [];
    const values = await this.publisher.mget(...keys);
    return values.flatMap((value) => {
      if (value === null) return [];
      try {
        return [JSON.parse(value) as NodePresence];
      } catch {
        return [];
      }
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    await this.publisher.del(this.presenceKey(this.nodeId)).catch(() => undefined);
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}

import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ApiKeyRepository } from '../api-key/api-key.repository';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { Metrics } from '../metrics/metrics.service';
import { ApiKeyCache } from './api-key.cache';
import { ApiKeyRecord, ApiKeySource } from './api-key.record';
import { ChangeHub } from './change.hub';
import { DigestBatch, digestBatchOptions } from './digest-batch';
import { EvictionLane } from './eviction-lane';
import { InProcessBus } from './in-process.bus';
import { KeyChangeBus } from './key-change.bus';
import { LastUseTracker } from './last-use.tracker';
import { RedisBus } from './redis.bus';

export const NODE_ID = Symbol('NODE_ID');
/** The eviction lane, with Redis only (in-process, the bus itself applies changes at once). */
export const EVICTION_LANE = Symbol('EVICTION_LANE');

/** One propagation measure, from whichever path applied the change first. */
function recordLag(metrics: Metrics, event: string, milliseconds: number): void {
  // A negative lag is a clock disagreement, not a fast message: counted apart.
  if (milliseconds < 0) metrics.busCounters.inc({ event: 'lag_below_zero' });
  else metrics.propagationLag.observe({ event }, milliseconds / 1000);
}

@Global()
@Module({
  providers: [
    { provide: NODE_ID, useFactory: () => `${hostname()}-${randomBytes(4).toString('hex')}` },
    {
      provide: KeyChangeBus,
      inject: [NODE_ID, APP_CONFIG],
      useFactory: (nodeId: string, config: AppConfig): KeyChangeBus =>
        config.redisUrl === null
          ? new InProcessBus(nodeId)
          : new RedisBus(nodeId, {
              connection: { url: config.redisUrl, tlsCaFile: config.redisTlsCaFile },
              prefix: config.busChannelPrefix,
              heartbeatMs: config.busHeartbeatMs,
            }),
    },
    ApiKeyRepository,
    { provide: ApiKeySource, useExisting: ApiKeyRepository },
    LastUseTracker,
    {
      provide: EVICTION_LANE,
      inject: [NODE_ID, APP_CONFIG],
      useFactory: (nodeId: string, config: AppConfig): EvictionLane | null =>
        config.redisUrl === null
          ? null
          : new EvictionLane({
              connection: { url: config.redisUrl, tlsCaFile: config.redisTlsCaFile },
              channel: RedisBus.changesChannel(config.busChannelPrefix),
              nodeId,
              heartbeatMs: config.busHeartbeatMs,
            }),
    },
    {
      provide: ChangeHub,
      inject: [KeyChangeBus, Metrics, EVICTION_LANE],
      useFactory: (bus: KeyChangeBus, metrics: Metrics, lane: EvictionLane | null) =>
        new ChangeHub(bus, ({ event, sentAt }, milliseconds) => {
          // A key change the lane applied first was timed by the lane.
          if (lane !== null && 'digest' in event && lane.claim(event.digest, sentAt)) return;
          recordLag(metrics, event.type, milliseconds);
        }),
    },
    {
      provide: DigestBatch,
      inject: [ApiKeySource, APP_CONFIG],
      useFactory: (source: ApiKeySource, config: AppConfig) =>
        new DigestBatch<ApiKeyRecord>(
          (digests) => source.findRecordsByDigests(digests),
          digestBatchOptions(config.database.dialect, config.databaseQueryTimeoutMs),
        ),
    },
    {
      provide: ApiKeyCache,
      inject: [DigestBatch, APP_CONFIG, ChangeHub, EVICTION_LANE, Metrics],
      useFactory: (
        batch: DigestBatch<ApiKeyRecord>,
        config: AppConfig,
        hub: ChangeHub,
        lane: EvictionLane | null,
        metrics: Metrics,
      ) => {
        const cache = new ApiKeyCache((digest) => batch.load(digest), {
          ttlMs: config.apiKeyCacheTtlSeconds * 1000,
          negativeTtlMs: Math.min(5_000, config.apiKeyCacheTtlSeconds * 1000),
          maxEntries: config.apiKeyCacheMaxEntries,
          maxNegativeEntries: 10_000,
          beforeLookup: lane === null ? undefined : () => lane.drain(),
          loadDeadlineMs: config.databaseQueryTimeoutMs,
        });
        lane?.attach({
          evict: (digest) => cache.evict(digest),
          lost: () => cache.flush('eviction-lane-overrun'),
          observeLag: (type, milliseconds) => recordLag(metrics, type, milliseconds),
        });
        hub.listen({
          onChange: ({ event }) => {
            if ('digest' in event) cache.evict(event.digest);
            // What the lane holds is applied too, and timed, before the hub times this change.
            lane?.drain();
          },
          onResync: () => cache.flush('bus-resync'),
        });
        return cache;
      },
    },
  ],
  exports: [
    NODE_ID,
    EVICTION_LANE,
    KeyChangeBus,
    ApiKeyRepository,
    LastUseTracker,
    ApiKeyCache,
    ChangeHub,
    DigestBatch,
  ],
})
export class KeyCacheModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(KeyChangeBus) private readonly bus: KeyChangeBus,
    @Inject(EVICTION_LANE) private readonly lane: EvictionLane | null,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.bus.start();
    this.lane?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lane?.stop();
    await this.bus.close();
  }
}

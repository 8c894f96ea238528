import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ApiKeyRepository } from '../api-key/api-key.repository';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { Metrics } from '../metrics/metrics.service';
import { ApiKeyCache } from './api-key.cache';
import { ApiKeySource } from './api-key.record';
import { ChangeHub } from './change.hub';
import { InProcessBus } from './in-process.bus';
import { KeyChangeBus } from './key-change.bus';
import { RedisBus } from './redis.bus';

export const NODE_ID = Symbol('NODE_ID');

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
              url: config.redisUrl,
              prefix: config.busChannelPrefix,
              heartbeatMs: config.busHeartbeatMs,
            }),
    },
    ApiKeyRepository,
    { provide: ApiKeySource, useExisting: ApiKeyRepository },
    {
      provide: ChangeHub,
      inject: [KeyChangeBus, Metrics],
      useFactory: (bus: KeyChangeBus, metrics: Metrics) =>
        new ChangeHub(bus, (milliseconds) => metrics.propagationLag.observe(milliseconds / 1000)),
    },
    {
      provide: ApiKeyCache,
      inject: [ApiKeySource, APP_CONFIG, ChangeHub],
      useFactory: (source: ApiKeySource, config: AppConfig, hub: ChangeHub) => {
        const cache = new ApiKeyCache((digest) => source.findRecordByDigest(digest), {
          ttlMs: config.apiKeyCacheTtlSeconds * 1000,
          negativeTtlMs: Math.min(5_000, config.apiKeyCacheTtlSeconds * 1000),
          maxEntries: config.apiKeyCacheMaxEntries,
          maxNegativeEntries: 10_000,
        });
        hub.listen({
          onChange: ({ event }) => {
            if (event.type !== 'tenant.changed') cache.evict(event.digest);
          },
          onResync: () => cache.flush('bus-resync'),
        });
        return cache;
      },
    },
  ],
  exports: [NODE_ID, KeyChangeBus, ApiKeyRepository, ApiKeyCache, ChangeHub],
})
export class KeyCacheModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(KeyChangeBus) private readonly bus: KeyChangeBus) {}

  async onModuleInit(): Promise<void> {
    await this.bus.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { NODE_ID } from '../key-cache/key-cache.module';
import { Metrics } from '../metrics/metrics.service';
import { MemoryRateLimiter } from './memory.rate-limiter';
import { RateLimiter } from './rate-limiter';
import { RedisRateLimiter } from './redis.rate-limiter';

/** Per-key rate limits: shared through Redis in a cluster, in memory on a single node. */
@Global()
@Module({
  providers: [
    {
      provide: RateLimiter,
      inject: [APP_CONFIG, NODE_ID, Metrics],
      useFactory: (config: AppConfig, nodeId: string, metrics: Metrics): RateLimiter =>
        config.redisUrl === null
          ? new MemoryRateLimiter()
          : new RedisRateLimiter({
              connection: { url: config.redisUrl, tlsCaFile: config.redisTlsCaFile },
              prefix: config.busChannelPrefix,
              nodeId,
              timeoutMs: config.rateLimitRedisTimeoutMs,
              onFailure: config.rateLimitOnRedisFailure,
              failed: (outcome) => metrics.rateLimitFailures.inc({ outcome }),
            }),
    },
  ],
  exports: [RateLimiter],
})
export class RateLimitModule implements OnApplicationShutdown {
  constructor(@Inject(RateLimiter) private readonly limiter: RateLimiter) {}

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }
}

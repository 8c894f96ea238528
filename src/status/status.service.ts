import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.schema';
import { VERSION } from '../common/version';
import { ApiKeyCache } from '../key-cache/api-key.cache';
import { DigestBatch } from '../key-cache/digest-batch';
import { NODE_ID } from '../key-cache/key-cache.module';
import { KeyChangeBus } from '../key-cache/key-change.bus';

/** FusionAuth's "no database connection" status; Portcullis adds one for a silent bus. */
export const STATUS_DATABASE_DOWN = 452;
export const STATUS_BUS_DOWN = 462;

export interface Health {
  status: number;
  database: { healthy: boolean; latencyMs: number | null };
  busHealthy: boolean;
}

@Injectable()
export class StatusService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: KeyChangeBus,
    private readonly cache: ApiKeyCache,
    private readonly batch: DigestBatch<unknown>,
    @Inject(NODE_ID) private readonly nodeId: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The database answers within two seconds, and the bus (if any) is subscribed. */
  async health(): Promise<Health> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const healthy = await Promise.race([
      this.dataSource.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 2_000);
      }),
    ]);
    clearTimeout(timer);
    const state = this.bus.stats().state;
    const busHealthy = state === 'embedded' || state === 'subscribed';
    return {
      status: !healthy ? STATUS_DATABASE_DOWN : busHealthy ? 200 : STATUS_BUS_DOWN,
      database: {
        healthy,
        latencyMs: healthy ? Math.round((performance.now() - started) * 100) / 100 : null,
      },
      busHealthy,
    };
  }

  detail(health: Health): Record<string, unknown> {
    return {
      status: health.status === 200 ? 'ok' : 'unhealthy',
      version: VERSION,
      nodeId: this.nodeId,
      uptimeMs: Date.now() - this.startedAt,
      database: { dialect: this.config.database.dialect, ...health.database },
      bus: { kind: this.config.redisUrl === null ? 'in-process' : 'redis', ...this.bus.stats() },
      cache: {
        ...this.cache.size(),
        ...this.cache.counters,
        lookupQueries: this.batch.counters.queries,
        lookupDigests: this.batch.counters.digests,
        lookupFailures: this.batch.counters.failures,
        lookupTimeouts: this.batch.counters.timeouts,
      },
    };
  }
}

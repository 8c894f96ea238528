import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyCache } from '../key-cache/api-key.cache';
import { DigestBatch } from '../key-cache/digest-batch';
import { BusState, KeyChangeBus } from '../key-cache/key-change.bus';
import { Metrics } from './metrics.service';

const BUS_STATES: BusState[] = ['embedded', 'connecting', 'subscribed', 'disconnected'];

interface MysqlPool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  config?: { connectionLimit?: number };
}

/** Reads, at each scrape, the state kept by the cache, the bus and the database pool. */
@Injectable()
export class MetricSamplers implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly cache: ApiKeyCache,
    private readonly batch: DigestBatch<unknown>,
    private readonly bus: KeyChangeBus,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const { metrics } = this;
    metrics.sample(() => {
      const { counters } = this.cache;
      for (const event of ['hits', 'misses', 'loads', 'staleFillsDropped', 'evictions'] as const) {
        Metrics.setCounter(metrics.cacheEvents, { event }, counters[event]);
      }
      const lookups = this.batch.counters;
      Metrics.setCounter(metrics.cacheEvents, { event: 'lookup_queries' }, lookups.queries);
      Metrics.setCounter(metrics.cacheEvents, { event: 'lookup_digests' }, lookups.digests);
      Metrics.setCounter(metrics.cacheEvents, { event: 'lookup_failures' }, lookups.failures);
      Metrics.setCounter(metrics.cacheEvents, { event: 'lookup_timeouts' }, lookups.timeouts);
      for (const [reason, count] of Object.entries(counters.flushes))
        Metrics.setCounter(metrics.cacheFlushes, { reason }, count);
      const size = this.cache.size();
      metrics.cacheEntries.set({ kind: 'positive' }, size.positive);
      metrics.cacheEntries.set({ kind: 'negative' }, size.negative);
    });
    metrics.sample(() => {
      const stats = this.bus.stats();
      for (const state of BUS_STATES)
        metrics.busState.set({ state }, stats.state === state ? 1 : 0);
      metrics.busLastMessageAge.set(
        stats.lastMessageAt === null ? -1 : (Date.now() - stats.lastMessageAt) / 1000,
      );
      Metrics.setCounter(metrics.busCounters, { event: 'publish_failure' }, stats.publishFailures);
      Metrics.setCounter(metrics.busCounters, { event: 'garbage' }, stats.garbage);
      Metrics.setCounter(metrics.busCounters, { event: 'heartbeat_miss' }, stats.heartbeatMisses);
      for (const [reason, count] of Object.entries(stats.resyncs)) {
        Metrics.setCounter(metrics.busCounters, { event: `resync_${reason}` }, count);
      }
    });
    metrics.sample(() => {
      // mysql2 keeps its pool's bookkeeping in these fields; SQLite has a single connection.
      const pool = (this.dataSource.driver as { pool?: MysqlPool }).pool;
      const all = pool?._allConnections?.length ?? 1;
      const free = pool?._freeConnections?.length ?? 0;
      metrics.databasePool.set({ state: 'open' }, all);
      metrics.databasePool.set({ state: 'idle' }, free);
      metrics.databasePool.set({ state: 'busy' }, all - free);
      metrics.databasePool.set({ state: 'limit' }, pool?.config?.connectionLimit ?? 1);
    });
  }
}

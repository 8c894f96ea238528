import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import { parseRedisUrl } from '../config/redis-url';

/** Where and how to reach Redis: plain strings, so that it crosses into a worker thread. */
export interface RedisConnection {
  readonly url: string;
  readonly tlsCaFile: string | null;
}

/**
 * Every connection to Redis (bus publisher and subscriber, eviction lane, rate limiter)
 * is made from the same settings, whatever the form of `REDIS_URL`: one Redis, over TLS
 * or not, or Redis Sentinel (ioredis asks the Sentinels for the master, and follows a
 * failover). Each never queues commands while away and fails at once instead, and
 * reconnects at most a second apart. `role` names it in `CLIENT LIST`.
 */
export function redisOptions(
  connection: RedisConnection,
  nodeId: string,
  role: string,
): RedisOptions {
  const endpoint = parseRedisUrl(connection.url);
  // Certificates are verified (Node's default), against the CA file when one is given.
  const tls = endpoint.tls
    ? connection.tlsCaFile === null
      ? {}
      : { ca: readFileSync(connection.tlsCaFile) }
    : undefined;
  const common: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    connectionName: `portcullis:${nodeId}:${role}`,
    username: endpoint.username ?? undefined,
    password: endpoint.password ?? undefined,
    db: endpoint.db,
    tls,
  };
  if (endpoint.kind === 'direct') return { ...common, host: endpoint.host, port: endpoint.port };
  return {
    ...common,
    sentinels: endpoint.sentinels.map(({ host, port }) => ({ host, port })),
    name: endpoint.name,
    sentinelUsername: endpoint.sentinelUsername ?? undefined,
    sentinelPassword: endpoint.sentinelPassword ?? undefined,
    enableTLSForSentinelMode: endpoint.tls,
    sentinelTLS: tls,
    sentinelRetryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    // Watches the Sentinels for a failover, so that a master demoted while still up is left.
    failoverDetector: true,
  };
}

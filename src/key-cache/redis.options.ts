import type { RedisOptions } from 'ioredis';

/**
 * Every bus connection to Redis (publisher, subscriber, eviction lane) behaves alike: it
 * never queues commands while away and fails at once instead, and reconnects at most a
 * second apart. `role` names it in `CLIENT LIST`.
 */
export function busConnectionOptions(nodeId: string, role: string): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    connectionName: `portcullis:${nodeId}:${role}`,
  };
}

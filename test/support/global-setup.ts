import Redis from 'ioredis';
import { chooseDialects, isMysqlReachable, MYSQL_SERVER_URL } from './databases';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function isRedisReachable(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Decides once what the suites run against. In CI every server must be there; on a
 * machine without them the MySQL leg and the cluster suite are skipped, and say so.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_DIALECTS = (await chooseDialects()).join(',');
  const cluster = (await isMysqlReachable()) && (await isRedisReachable());
  if (!cluster) {
    if (process.env.CI)
      throw new Error(
        `the cluster suite needs MySQL at ${MYSQL_SERVER_URL} and Redis at ${REDIS_URL}`,
      );
    console.warn(`\nMySQL or Redis is not reachable: the cluster suite is skipped\n`);
  }
  process.env.TEST_CLUSTER = cluster ? 'yes' : 'no';
}

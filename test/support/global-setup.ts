import Redis from 'ioredis';
import { startServersInContainers } from './containers';
import { chooseDialects, isMysqlReachable, mysqlServerUrl } from './databases';

function redisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

async function isRedisReachable(): Promise<boolean> {
  const redis = new Redis(redisUrl(), {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
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
 * Servers missing here are started in containers when Docker is available
 * (`TEST_CONTAINERS=off` forbids it); the workers inherit the URLs.
 */
async function provideMissingServers(): Promise<void> {
  const need = { mysql: !(await isMysqlReachable()), redis: !(await isRedisReachable()) };
  if ((!need.mysql && !need.redis) || process.env.TEST_CONTAINERS === 'off') return;
  const missing = [need.mysql && 'MySQL', need.redis && 'Redis'].filter(Boolean).join(' and ');
  console.warn(`\n${missing} not reachable here: starting them in containers…`);
  try {
    const urls = await startServersInContainers(need);
    if (urls.mysqlUrl) process.env.TEST_MYSQL_URL = urls.mysqlUrl;
    if (urls.redisUrl) process.env.TEST_REDIS_URL = urls.redisUrl;
    console.warn(`…started (${Object.values(urls).join(', ')})\n`);
  } catch (error) {
    console.warn(
      `…no container runtime answered (${error instanceof Error ? error.message : String(error)})\n`,
    );
  }
}

/**
 * Decides once what the suites run against. In CI every server must be there; on a
 * machine without them (and without Docker to start them) the MySQL leg and the cluster
 * suite are skipped, and say so.
 */
export default async function globalSetup(): Promise<void> {
  await provideMissingServers();
  process.env.TEST_DIALECTS = (await chooseDialects()).join(',');
  const cluster = (await isMysqlReachable()) && (await isRedisReachable());
  if (!cluster) {
    if (process.env.CI)
      throw new Error(
        `the cluster suite needs MySQL at ${mysqlServerUrl()} and Redis at ${redisUrl()}`,
      );
    console.warn(`\nMySQL or Redis is not reachable: the cluster suite is skipped\n`);
  }
  process.env.TEST_CLUSTER = cluster ? 'yes' : 'no';
}

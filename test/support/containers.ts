import { createConnection } from 'mysql2/promise';
import type { StartedTestContainer } from 'testcontainers';

/** What the global teardown stops: the containers this run started, if any. */
const STARTED = Symbol.for('portcullis.test.containers');

type Holder = { [STARTED]?: StartedTestContainer[] };

async function untilConnects(url: string, deadlineMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      const connection = await createConnection({ uri: url, connectTimeout: 2_000 });
      await connection.end();
      return;
    } catch (error) {
      if (Date.now() - started > deadlineMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * MariaDB and/or Redis in throwaway containers, for a machine that has Docker but not
 * the servers. Resolves the URLs to use, or rejects when no container runtime answers.
 */
export async function startServersInContainers(need: {
  mysql: boolean;
  redis: boolean;
}): Promise<{ mysqlUrl?: string; redisUrl?: string }> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const holder = globalThis as Holder;
  const started = (holder[STARTED] ??= []);
  const urls: { mysqlUrl?: string; redisUrl?: string } = {};
  if (need.mysql) {
    const mariadb = await new GenericContainer('mariadb:11.4')
      .withEnvironment({ MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1', MARIADB_DATABASE: 'test' })
      .withExposedPorts(3306)
      .withWaitStrategy(Wait.forListeningPorts())
      .withStartupTimeout(120_000)
      .start();
    started.push(mariadb);
    urls.mysqlUrl = `mysql://root@${mariadb.getHost()}:${mariadb.getMappedPort(3306)}`;
    // The entrypoint's first server is a temporary one: wait for the real one to answer.
    await untilConnects(urls.mysqlUrl, 60_000);
  }
  if (need.redis) {
    const redis = await new GenericContainer('redis:7-alpine')
      .withExposedPorts(6379)
      .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
      .start();
    started.push(redis);
    urls.redisUrl = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  }
  return urls;
}

export async function stopContainers(): Promise<void> {
  const holder = globalThis as Holder;
  const started = holder[STARTED] ?? [];
  holder[STARTED] = [];
  await Promise.all(started.map((container) => container.stop()));
}

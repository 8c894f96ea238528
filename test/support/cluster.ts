import { FusionAuthClient } from '@fusionauth/typescript-client';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomKey, TEST_KEY_ENCRYPTION_SECRET } from './app';
import type { CredentialsHost } from './client-credentials';
import { Metrics, parseMetrics } from './metrics';
import { createTestDatabase, TestDatabase } from './databases';
import { spawnService, ServiceProcess } from './process';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Replica extends ServiceProcess {
  name: string;
  /** A call on this replica with the manager key (or another). */
  call(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
}

export interface Cluster {
  replicas: Replica[];
  managerKey: string;
  database: TestDatabase;
  prefix: string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  size?: number;
  /** Per-replica environment on top of the shared one (e.g. REDIS_URL through a proxy). */
  env?: (index: number) => Record<string, string | undefined>;
  shared?: Record<string, string>;
  database?: TestDatabase;
}

/**
 * Several replicas as child processes, on one fresh MySQL database and one Redis, on
 * a channel prefix of their own. Needs `npm run build` first.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const database = options.database ?? (await createTestDatabase('mysql'));
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-cluster-'));
  const managerKey = randomKey();
  const kickstart = join(dir, 'kickstart.json');
  writeFileSync(
    kickstart,
    JSON.stringify({
      apiKeys: [{ key: managerKey, description: 'cluster manager', keyManager: true }],
    }),
  );
  const prefix = `pc-test-${randomBytes(4).toString('hex')}`;
  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL,
    BUS_CHANNEL_PREFIX: prefix,
    BUS_HEARTBEAT_INTERVAL_MS: '200',
    KICKSTART_FILE: kickstart,
    KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET,
    ...options.shared,
  };
  const names = ['A', 'B', 'C', 'D', 'E'];
  const replicas = await Promise.all(
    Array.from({ length: options.size ?? 3 }, async (_, index): Promise<Replica> => {
      const own = Object.entries(options.env?.(index) ?? {}).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      );
      const service = await spawnService({ ...shared, ...Object.fromEntries(own) });
      return {
        ...service,
        name: names[index],
        call: (path, init = {}) => {
          const { key = managerKey, headers, ...rest } = init;
          const merged = new Headers(headers);
          merged.set('authorization', key);
          return fetch(`${service.url}${path}`, { ...rest, headers: merged });
        },
      };
    }),
  );
  try {
    await Promise.all(replicas.map((replica) => replica.ready));
  } catch (error) {
    await Promise.all(replicas.map((replica) => replica.stop()));
    throw new Error(
      `cluster did not start: ${String(error)}\n${replicas.map((r) => r.errors()).join('\n')}`,
    );
  }
  return {
    replicas,
    managerKey,
    database,
    prefix,
    stop: async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
      if (!options.database) await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` holds or the deadline passes; returns the milliseconds it took, or null. */
export async function within(
  deadlineMs: number,
  check: () => Promise<boolean>,
): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < deadlineMs) {
    if (await check()) return performance.now() - started;
  }
  return null;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function createKeyOn(
  replica: Replica,
  apiKey: object,
): Promise<{ id: string; key: string }> {
  const response = await replica.call('/api/api-key', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  });
  if (response.status !== 200)
    throw new Error(`create key on ${replica.name}: ${response.status} ${await response.text()}`);
  const { apiKey: created } = (await response.json()) as { apiKey: { id: string; key: string } };
  return created;
}

export async function statusWith(
  replica: Replica,
  key: string,
  path = '/api/tenant',
): Promise<number> {
  return (await replica.call(path, { key })).status;
}

export async function busState(
  replica: Replica,
): Promise<{ state: string; heartbeatMisses: number; resyncs: Record<string, number> }> {
  const response = await replica.call('/api/system/cluster');
  const body = (await response.json()) as {
    node: { bus: { state: string; heartbeatMisses: number; resyncs: Record<string, number> } };
  };
  return body.node.bus;
}

/**
 * Waits until every replica of `cluster` has applied the changes `from` published so far:
 * a probe goes out on the same connection after them, and a replica answers it only once
 * it has applied everything before it.
 */
export async function caughtUpWith(cluster: Cluster, from: Replica): Promise<void> {
  const response = await from.call('/api/system/cluster/probe?timeoutMs=5000', {
    method: 'POST',
  });
  if (response.status !== 200)
    throw new Error(`probe from ${from.name}: ${response.status} ${await response.text()}`);
  const { replicas, missing } = (await response.json()) as {
    replicas: unknown[];
    missing: string[];
  };
  if (missing.length > 0 || replicas.length < cluster.replicas.length)
    throw new Error(
      `probe from ${from.name}: ${replicas.length} answered, missing ${missing.join()}`,
    );
}

/** The replica's Prometheus metrics, read with the manager key. */
export async function metricsOf(replica: Replica): Promise<Metrics> {
  const response = await replica.call('/api/prometheus/metrics');
  if (response.status !== 200) throw new Error(`metrics of ${replica.name}: ${response.status}`);
  return parseMetrics(await response.text());
}

/** The FusionAuth client pointed at one replica, with the manager key unless told otherwise. */
export function replicaHost(cluster: Cluster, replica: Replica): CredentialsHost {
  return {
    client: (key?: string | null, tenantId?: string) =>
      new FusionAuthClient(key === null ? '' : (key ?? cluster.managerKey), replica.url, tenantId),
  };
}

import FusionAuthClient from '@fusionauth/typescript-client';
import type ClientResponse from '@fusionauth/typescript-client/build/src/ClientResponse';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config.schema';
import { createTestDatabase, Dialect, TestDatabase } from './databases';
import { SecretWatch } from './secrets';

export { dialects } from './databases';

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  dialect: Dialect;
  port: number;
  /** A key-manager super key, made by kickstart. */
  managerKey: string;
  defaultTenantId: string;
  /** The FusionAuth client, as a caller would use it. */
  client(key?: string | null, tenantId?: string): FusionAuthClient;
  /** Secrets the suite sent, and the log lines the server wrote. */
  watch: SecretWatch;
  /** Plain HTTP, for what the client cannot send. */
  http(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  kickstart?: object;
  database?: TestDatabase;
  /** Address to listen on (127.0.0.1 by default). */
  host?: string;
  /** Called with the Fastify instance before the service's routes are registered. */
  configure?: (fastify: FastifyInstance) => void;
}

/** The fixture secret that seals retrievable key values in tests against a server database. */
export const TEST_KEY_ENCRYPTION_SECRET = 'test-fixture-key-encryption-secret-0123456789';

export function randomKey(): string {
  return randomBytes(24).toString('base64url');
}

/** Boots the real service on an ephemeral loopback port against a fresh database. */
export async function startApp(dialect: Dialect, options: StartOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(dialect));
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-kickstart-'));
  const managerKey = randomKey();
  const kickstartFile = join(dir, 'kickstart.json');
  writeFileSync(
    kickstartFile,
    JSON.stringify(
      options.kickstart ?? {
        apiKeys: [{ key: managerKey, description: 'e2e manager', keyManager: true }],
      },
    ),
  );
  const env = {
    DATABASE_URL: database.url,
    KICKSTART_FILE: kickstartFile,
    // A server database needs the secret that seals retrievable keys (SQLite makes its own file).
    ...(dialect === 'mysql' ? { KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET } : {}),
    // Everything is logged, into memory, so that a leaked secret is caught at close.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'trace',
    ...options.env,
  };
  const watch = new SecretWatch();
  watch.add(managerKey);
  const app = await createApp(loadConfig(env), env, {
    logStream: watch.logStream,
    configure: (fastify) => {
      watch.install(fastify);
      options.configure?.(fastify);
    },
  });
  await app.listen({ port: 0, host: options.host ?? '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const tenants = await fetch(`${url}/api/tenant`, { headers: { authorization: managerKey } });
  // A database seeded before (options.database) may not hold this boot's manager key.
  const list = (tenants.ok ? await tenants.json() : { tenants: [] }) as {
    tenants: { id: string; name: string }[];
  };
  const defaultTenantId = list.tenants.find((tenant) => tenant.name === 'Default')?.id ?? '';
  return {
    app,
    url,
    dialect,
    managerKey,
    defaultTenantId,
    port,
    watch,
    client: (key = managerKey, tenantId) => new FusionAuthClient(key as string, url, tenantId),
    http: (path, init = {}) => {
      const { key = managerKey, headers, ...rest } = init;
      const merged = new Headers(headers);
      if (key !== null && !merged.has('authorization')) merged.set('authorization', key);
      return fetch(`${url}${path}`, { ...rest, headers: merged });
    },
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
      rmSync(dir, { recursive: true, force: true });
      const leaks = watch.leaks();
      if (leaks.length > 0) {
        throw new Error(
          `secrets reached the log: ${leaks.map((secret) => `${secret.slice(0, 4)}…`).join(', ')}`,
        );
      }
    },
  };
}

/** The rejection of a FusionAuth client call (non-2xx answers reject with a ClientResponse). */
export interface Failure {
  statusCode: number;
  /** The parsed FusionAuth `Errors` body, when the answer had one. */
  exception:
    | {
        fieldErrors?: Record<string, { code: string; message: string }[]>;
        generalErrors?: { code: string; message: string }[];
      }
    | undefined;
}

export async function failure(call: Promise<ClientResponse<unknown>>): Promise<Failure> {
  let response: ClientResponse<unknown>;
  try {
    response = await call;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'statusCode' in error)
      return error as Failure;
    throw error;
  }
  throw new Error(`expected a failure, got ${response.statusCode}`);
}

/** The error codes of a client call refused with a 400, field and general, sorted. */
export async function refusalCodes(call: Promise<ClientResponse<unknown>>): Promise<string[]> {
  const refused = await failure(call);
  expect(refused.statusCode).toBe(400);
  return [
    ...Object.values(refused.exception?.fieldErrors ?? {}).flat(),
    ...(refused.exception?.generalErrors ?? []),
  ]
    .map((error) => error.code)
    .sort();
}

/** Creates a key through the API and returns its value. */
export async function createKey(
  test: TestApp,
  apiKey: object,
  tenantId?: string,
): Promise<{ id: string; key: string }> {
  const response = await test
    .client(test.managerKey, tenantId)
    .createAPIKey(null as unknown as string, { apiKey });
  return { id: response.response.apiKey!.id!, key: response.response.apiKey!.key! };
}

export async function createTenant(
  test: Pick<TestApp, 'client'>,
  name = `tenant-${randomBytes(4).toString('hex')}`,
): Promise<string> {
  const response = await test
    .client()
    .createTenant(null as unknown as string, { tenant: { name } });
  return response.response.tenant!.id!;
}

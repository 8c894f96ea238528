// Starting the built service (dist/main.js) and setting up what the scenarios need.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, expect } from './http.mjs';
import { freePort, pinned, ROOT, startChild, waitFor } from './proc.mjs';

export const MAIN = join(ROOT, 'dist', 'main.js');
export const LOG_LEVEL = 'warn';

export function assertBuilt() {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
}

/** A kickstart file that gives a known key-manager key (a super key: no permissions). */
export function writeKickstart(dir) {
  const managerKey = randomBytes(32).toString('base64url');
  const file = join(dir, `kickstart-${randomBytes(3).toString('hex')}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      apiKeys: [{ key: managerKey, description: 'bench manager', keyManager: true }],
    }),
  );
  return { file, managerKey };
}

/**
 * One Portcullis process on `core` (0: the servers' core), ready once GET /api/health
 * answers 200. With LOG_LEVEL=warn it does not print "listening", so readiness is polled.
 */
export async function startPortcullis(name, env, { core = 0, nodeArgs = [] } = {}) {
  const port = await freePort();
  const [command, args] = pinned(core, process.execPath, [...nodeArgs, MAIN]);
  const child = startChild(name, command, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      LOG_LEVEL,
      // The harness stops replicas itself; nothing balances load in front of them.
      SHUTDOWN_DRAIN_SECONDS: '0',
      // Seals retrievable keys on MariaDB (SQLite would make its own secret file).
      KEY_ENCRYPTION_SECRET: 'bench-key-encryption-secret-0123456789abcdef',
      ...env,
      PORT: String(port),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      `${name} to answer /api/health`,
      async () => {
        if (!child.alive()) throw Object.assign(new Error('exited'), { fatal: true });
        return (await call(`${url}/api/health`, { timeoutMs: 2_000 })).status === 200;
      },
      60_000,
      100,
    );
  } catch (error) {
    await child.stop();
    throw new Error(`${name} did not start (${String(error)}):\n${child.output()}`);
  }
  if (!child.alive()) throw new Error(`${name} exited during start:\n${child.output()}`);
  return { ...child, url, port };
}

/** A new API key through the API; `endpoints` as FusionAuth has them. */
export async function createKey(url, managerKey, endpoints, extra = {}) {
  const body = await expect(200, `${url}/api/api-key`, {
    method: 'POST',
    headers: { authorization: managerKey },
    json: { apiKey: { permissions: { endpoints }, ...extra } },
  });
  return body.apiKey;
}

/** `count` users through POST /api/user, a few at a time; returns [{ id, email }]. */
export async function createUsers(url, key, count, concurrency = 4) {
  const tag = randomBytes(4).toString('hex');
  const users = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const email = `seed-${tag}-${next++}@example.com`;
      const body = await expect(200, `${url}/api/user`, {
        method: 'POST',
        headers: { authorization: key },
        json: { user: { email, password: 'correct horse battery staple' } },
      });
      users.push({ id: body.user.id, email });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return users;
}

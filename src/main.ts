import 'reflect-metadata';
import { ApiKeyRepository } from './api-key/api-key.repository';
import { createApp } from './app.factory';
import { EntityRepository } from './entity/entity.repository';
import { AppConfig, ConfigError, loadConfig } from './config/config.schema';
import { KickstartError } from './kickstart/kickstart.file';
import { KickstartService } from './kickstart/kickstart.service';
import { Readiness } from './status/readiness';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * `node dist/main.js --recover-key`: with the replicas' settings, creates one more
 * key-manager super key, shows it once and exits without serving. Whoever can run it
 * can already write the database; it is the way back when no key manager is left.
 */
async function recoverKey(config: AppConfig): Promise<void> {
  const app = await createApp(config);
  let key: string | null;
  try {
    key = await app.get(KickstartService).recover();
  } finally {
    await app.close();
  }
  const text =
    key === null
      ? '\nThe database was new and has been seeded as on first boot; no other key was created.\n\n'
      : `\nPortcullis created a recovery API key (a key manager with every permission):\n\n  ${key}\n\n` +
        'Store it now: it will not be shown again.\n\n';
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
}

/**
 * `node dist/main.js --reseal-keys`: seals every stored key value and entity client
 * secret under the current
 * `KEY_ENCRYPTION_SECRET`, opening those of a previous secret with
 * `KEY_ENCRYPTION_SECRET_PREVIOUS`, then exits (every boot does the same; this is the step
 * of a secret rotation that can be run and checked on its own).
 */
async function resealKeys(config: AppConfig): Promise<void> {
  const app = await createApp(config);
  let unreadable: number;
  try {
    // Booting sealed what it could; this pass reports what is left.
    const keys = await app.get(ApiKeyRepository).sealStoredValues();
    const secrets = await app.get(EntityRepository).sealStoredSecrets();
    unreadable = keys.unreadable + secrets.unreadable;
  } finally {
    await app.close();
  }
  const text =
    unreadable === 0
      ? 'Every stored API key value and client secret is sealed under the current secret.\n'
      : `${unreadable} stored values (API keys, client secrets) open with no configured secret; they were left as they are.\n`;
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  if (unreadable > 0) process.exitCode = 1;
}

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  if (process.argv.includes('--recover-key')) {
    await recoverKey(config);
    process.exit(0);
  }
  if (process.argv.includes('--reseal-keys')) {
    await resealKeys(config);
    process.exit();
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const log = app.getHttpAdapter().getInstance().log;
  log.info(
    {
      port: config.port,
      database: config.database.dialect,
      bus: config.redisUrl ? 'redis' : 'in-process',
    },
    'Portcullis is listening',
  );

  let stopping = false;
  const close = () => {
    log.info('shutting down: no new connections; finishing in-flight requests');
    // In-flight requests finish; the grace period bounds the wait.
    setTimeout(
      () => fail('shutdown grace period over; exiting'),
      config.shutdownGraceSeconds * 1000,
    ).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) =>
        fail(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  // SIGTERM (an orchestrator's stop) drains first: health answers 503 while every request
  // is still served, so that load balancers take this replica out before it stops
  // accepting connections. SIGINT (Ctrl-C at a terminal) skips the drain.
  const stop = (drainSeconds: number) => {
    if (stopping) return;
    stopping = true;
    app.get(Readiness).drain();
    log.info({ drainSeconds }, 'draining: health answers 503; still serving');
    setTimeout(close, drainSeconds * 1000);
  };
  process.on('SIGTERM', () => stop(config.shutdownDrainSeconds));
  process.on('SIGINT', () => stop(0));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof KickstartError) fail(error.message);
  fail(`Portcullis failed to start: ${error instanceof Error ? error.message : String(error)}`);
});

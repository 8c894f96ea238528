import 'reflect-metadata';
import { createApp } from './app.factory';
import { AppConfig, ConfigError, loadConfig } from './config/config.schema';
import { KickstartError } from './kickstart/kickstart.file';
import { KickstartService } from './kickstart/kickstart.service';

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
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
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
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof KickstartError) fail(error.message);
  fail(`Portcullis failed to start: ${error instanceof Error ? error.message : String(error)}`);
});

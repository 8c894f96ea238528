import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config.schema';
import { KickstartError } from './kickstart/kickstart.file';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
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

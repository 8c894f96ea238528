import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  errors(): string;
  /** Resolves once the service says it listens; rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built service (`npm run build` first) as a child process, with `args` if given. */
export async function spawnService(
  env: Record<string, string>,
  args: string[] = [],
): Promise<ServiceProcess> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Stopped replicas go at once, unless a test measures the drain.
      SHUTDOWN_DRAIN_SECONDS: '0',
      ...env,
      PORT: port,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    // Only until ready: scanning the whole output on every chunk after that would cost
    // time quadratic in a long-lived replica's log.
    const watch = () => {
      if (!stdout.includes('Portcullis is listening')) return;
      child.stdout.off('data', watch);
      resolve();
    };
    child.stdout.on('data', watch);
    void exited.then((code) => reject(new Error(`service exited with ${code}: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => stdout,
    errors: () => stderr,
    ready,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

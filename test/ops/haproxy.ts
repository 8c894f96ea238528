import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/process';

const PROJECT_CONFIG = join(__dirname, '..', '..', 'deploy', 'haproxy.cfg');

/**
 * deploy/haproxy.cfg with loopback addresses: the frontend's port, each replica's address
 * for its server line, and no Docker DNS resolver (loopback addresses need none). Every
 * other line (health check, timeouts, balancing, retries) is the project's own.
 */
export function loopbackConfig(frontendPort: number, replicaPorts: number[]): string {
  const lines = readFileSync(PROJECT_CONFIG, 'utf8').split('\n');
  const out: string[] = [];
  let inResolvers = false;
  let server = 0;
  for (const line of lines) {
    if (line.startsWith('resolvers ')) {
      inResolvers = true;
      continue;
    }
    if (inResolvers) {
      if (line.startsWith(' ')) continue;
      inResolvers = false;
    }
    if (/^\s*bind :\d+$/.test(line)) out.push(line.replace(/:\d+$/, `127.0.0.1:${frontendPort}`));
    else if (/^\s*default-server /.test(line))
      out.push(line.replace(/ resolvers \S+/, '').replace(/ init-addr \S+/, ''));
    else if (/^\s*server \S+ \S+:\d+/.test(line))
      out.push(line.replace(/^(\s*server \S+) \S+:\d+/, `$1 127.0.0.1:${replicaPorts[server++]}`));
    else out.push(line);
  }
  if (server !== replicaPorts.length)
    throw new Error(`deploy/haproxy.cfg has ${server} servers, not ${replicaPorts.length}`);
  return out.join('\n');
}

export interface LoadBalancer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Debian's haproxy in the foreground with the project's configuration on loopback. */
export async function startHaproxy(binary: string, replicaPorts: number[]): Promise<LoadBalancer> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-haproxy-'));
  const port = await freePort();
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, loopbackConfig(port, replicaPorts));
  const child: ChildProcess = spawn(binary, ['-db', '-f', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`haproxy did not come up: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

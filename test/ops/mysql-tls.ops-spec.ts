// MySQL over TLS (`DATABASE_URL=mysql://…?ssl-mode=VERIFY_IDENTITY&ssl-ca=…`): a MariaDB
// server of the test's own (Debian's mariadbd, a fresh data directory) with certificates
// made by openssl. Portcullis connects with verification on and serves; it refuses a server
// whose certificate names another host, or one signed by another CA, with a clear message.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomKey } from '../support/app';
import { freePort, spawnService } from '../support/process';
import { certificates, debianBinary, run } from './infrastructure';

const MARIADBD = debianBinary('/usr/sbin/mariadbd', 'mariadb-server');
const INSTALL_DB = debianBinary('/usr/bin/mariadb-install-db', 'mariadb-server');
const MARIADB = debianBinary('/usr/bin/mariadb', 'mariadb-client');
const OPENSSL = debianBinary('/usr/bin/openssl', 'openssl');
const describeOps = [MARIADBD, INSTALL_DB, MARIADB, OPENSSL].includes(null)
  ? describe.skip
  : describe;

interface Server {
  port: number;
  stop(): Promise<void>;
}

describeOps('MySQL over TLS', () => {
  jest.setTimeout(90_000);
  let dir: string;
  const servers: Server[] = [];

  /** A MariaDB server on loopback presenting `cert`, with a database `portcullis`. */
  async function startMariadb(name: string, files: { ca: string; cert: string; key: string }) {
    const data = join(dir, `${name}-data`);
    run(INSTALL_DB!, [
      '--no-defaults',
      '--user=root',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
    const port = await freePort();
    const socket = join(dir, `${name}.sock`);
    const child: ChildProcess = spawn(
      MARIADBD!,
      [
        '--no-defaults',
        '--user=root',
        `--datadir=${data}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${socket}`,
        `--pid-file=${join(dir, `${name}.pid`)}`,
        `--log-error=${join(dir, `${name}.err`)}`,
        `--ssl-ca=${files.ca}`,
        `--ssl-cert=${files.cert}`,
        `--ssl-key=${files.key}`,
        '--skip-log-bin',
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`mariadbd exited: see ${dir}/${name}.err`);
      try {
        run(MARIADB!, ['--no-defaults', '-uroot', `--socket=${socket}`, '-e', 'SELECT 1']);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`mariadbd did not come up`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    run(MARIADB!, [
      '--no-defaults',
      '-uroot',
      `--socket=${socket}`,
      '-e',
      "CREATE DATABASE portcullis; CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'app-test-password' REQUIRE SSL; GRANT ALL ON portcullis.* TO 'app'@'127.0.0.1';",
    ]);
    const server = {
      port,
      stop: async () => {
        if (child.exitCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
    servers.push(server);
    return server;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-mysql-tls-'));
    writeFileSync(
      join(dir, 'kickstart.json'),
      JSON.stringify({ apiKeys: [{ key: randomKey(), description: 'tls', keyManager: true }] }),
    );
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const boot = async (port: number, ca: string, mode = 'VERIFY_IDENTITY') => {
    const service = await spawnService({
      DATABASE_URL: `mysql://app:app-test-password@localhost:${port}/portcullis?ssl-mode=${mode}&ssl-ca=${ca}`,
      KICKSTART_FILE: join(dir, 'kickstart.json'),
      KEY_ENCRYPTION_SECRET: 'test-fixture-key-encryption-secret-0123456789',
      DATABASE_CONNECT_TIMEOUT_MS: '3000',
    });
    const started = await Promise.race([
      service.ready.then(() => 'ready' as const),
      service.exited.then(() => 'exited' as const),
    ]);
    return { service, started };
  };

  it('connects with the certificate verified, host name included, and serves', async () => {
    const files = certificates(OPENSSL!, dir, 'db-good', 'DNS:localhost,IP:127.0.0.1');
    const server = await startMariadb('good', files);
    const { service, started } = await boot(server.port, files.ca);
    try {
      expect(started).toBe('ready');
      expect((await fetch(`${service.url}/api/health`)).status).toBe(200);
    } finally {
      await service.stop();
    }
  });

  it('refuses a server whose certificate names another host, with a message and no stack', async () => {
    const files = certificates(OPENSSL!, dir, 'db-wrong-name', 'DNS:db.example.com');
    const server = await startMariadb('wrong-name', files);
    const { service, started } = await boot(server.port, files.ca);
    expect(started).toBe('exited');
    expect(service.errors()).toMatch(
      /Portcullis failed to start: .*(localhost|altnames|certificate)/i,
    );
    expect(service.errors()).not.toMatch(/\n\s+at /);
    // The same server is accepted when only the CA is checked.
    const { service: lenient, started: again } = await boot(server.port, files.ca, 'VERIFY_CA');
    try {
      expect(again).toBe('ready');
    } finally {
      await lenient.stop();
    }
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const other = mkdtempSync(join(dir, 'other-ca-'));
    const foreign = certificates(OPENSSL!, other, 'db-foreign', 'DNS:localhost,IP:127.0.0.1');
    const server = await startMariadb('foreign', foreign);
    const ours = certificates(OPENSSL!, dir, 'unused', 'DNS:localhost');
    const { service, started } = await boot(server.port, ours.ca);
    expect(started).toBe('exited');
    expect(service.errors()).toMatch(/Portcullis failed to start: .*certificate/i);
  });
});

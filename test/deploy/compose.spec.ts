// docker-compose.yml and the files it mounts from deploy/, checked offline: no Docker
// engine is needed (or run).
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import {
  kickstartKeyManagerEnv,
  parseYamlStream,
  readRepoFile,
  repoPath,
  RUNTIME_VARIABLES,
  settingsReadByPortcullis,
} from './deploy-files';

type Port = string | number | { target: number; published?: string | number };
type Volume = string | { source?: string; target: string };

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Port[];
  volumes?: Volume[];
  healthcheck?: { test?: string | string[] };
  depends_on?: string[] | Record<string, { condition?: string }>;
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
  stop_grace_period?: string;
}

const REPLICAS = ['portcullis-1', 'portcullis-2', 'portcullis-3'];
const LOAD_BALANCER = 'lb';
const PORT = 9011;

/** Compose's interpolation as `docker compose` does it with nothing set: the defaults. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_, _name: string, fallback = '') =>
      String(fallback),
    )
    .replace(/\$\$/g, '$');
}

function environmentOf(service: ComposeService): Record<string, string> {
  const raw = service.environment ?? {};
  const pairs = Array.isArray(raw)
    ? raw.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)])
    : Object.entries(raw).map(([name, value]) => [name, value === null ? '' : String(value)]);
  return Object.fromEntries(pairs.map(([name, value]) => [name, interpolate(value)]));
}

function publishedPorts(service: ComposeService): { published: number; target: number }[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return { published: Number(port.published), target: port.target };
    }
    const parts = String(port).split(':');
    const target = Number(parts[parts.length - 1].split('/')[0]);
    return { published: parts.length > 1 ? Number(parts[parts.length - 2]) : target, target };
  });
}

function mounts(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume === 'object') return { source: volume.source ?? '', target: volume.target };
    const [source, target] = volume.split(':');
    return { source, target };
  });
}

/** The repository file bind-mounted at `target`, checked to exist. */
function mountedFile(service: ComposeService, target: string): string {
  const mount = mounts(service).find((m) => m.target === target);
  if (mount === undefined) throw new Error(`nothing is mounted at ${target}`);
  if (!mount.source.startsWith('./')) throw new Error(`${target} must come from a repository file`);
  const relative = mount.source.slice(2);
  if (!existsSync(repoPath(relative))) throw new Error(`${mount.source} is not in the repository`);
  return relative;
}

function dependencies(service: ComposeService): Record<string, string | undefined> {
  const raw = service.depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(raw).map(([name, d]) => [name, d.condition]));
}

function seconds(duration: string | undefined): number {
  const match = /^(\d+)(s|m)?$/.exec(duration ?? '');
  if (match === null) return 0;
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

const text = readRepoFile('docker-compose.yml');
const [compose] = parseYamlStream(text, 'docker-compose.yml') as {
  services: Record<string, ComposeService>;
}[];

describe('docker-compose.yml', () => {
  const services = compose.services;
  const replicas = REPLICAS.map((name) => services[name]);

  it('runs MySQL 8, Redis 7, three Portcullis replicas and a load balancer', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['mysql', 'redis', LOAD_BALANCER, ...REPLICAS].sort(),
    );
    expect(services.mysql.image).toMatch(/^mysql:8(\.|$)/);
    expect(services.redis.image).toMatch(/^redis:7(\.|-|$)/);
    expect(environmentOf(services.mysql).MYSQL_DATABASE).toBe('portcullis');
    for (const replica of replicas) expect(replica.build).toBeDefined();
  });

  it('publishes port 9011 on the load balancer only', () => {
    const publishing = Object.entries(services)
      .filter(([, service]) => publishedPorts(service).length > 0)
      .map(([name]) => name);
    expect(publishing).toEqual([LOAD_BALANCER]);
    expect(publishedPorts(services[LOAD_BALANCER])).toEqual([{ published: PORT, target: PORT }]);
  });

  it('points every replica at the MySQL and Redis services', () => {
    const mysql = environmentOf(services.mysql);
    for (const replica of replicas) {
      const env = environmentOf(replica);
      const database = new URL(env.DATABASE_URL);
      expect(database.protocol).toBe('mysql:');
      expect(database.hostname).toBe('mysql');
      expect(database.pathname).toBe(`/${mysql.MYSQL_DATABASE}`);
      expect([database.username, database.password]).toEqual([
        mysql.MYSQL_USER,
        mysql.MYSQL_PASSWORD,
      ]);
      const redis = new URL(env.REDIS_URL);
      expect([redis.protocol, redis.hostname, redis.port || '6379']).toEqual([
        'redis:',
        'redis',
        '6379',
      ]);
    }
  });

  it('passes only settings Portcullis reads', () => {
    const known = settingsReadByPortcullis();
    for (const replica of replicas) {
      const env = environmentOf(replica);
      const kickstart = readRepoFile(mountedFile(replica, env.KICKSTART_FILE));
      const kickstartEnv = kickstartKeyManagerEnv(kickstart, 'the kickstart file');
      const unknown = Object.keys(env).filter(
        (name) =>
          !known.has(name) && !RUNTIME_VARIABLES.includes(name) && !kickstartEnv.includes(name),
      );
      expect(unknown).toEqual([]);
    }
  });

  it('kickstarts a key-manager key from a committed file and an environment variable', () => {
    for (const replica of replicas) {
      const env = environmentOf(replica);
      expect(isAbsolute(env.KICKSTART_FILE)).toBe(true);
      const file = mountedFile(replica, env.KICKSTART_FILE);
      expect(file).toMatch(/^deploy\//);
      for (const name of kickstartKeyManagerEnv(readRepoFile(file), file)) {
        expect(env[name]).toBeTruthy();
      }
    }
  });

  it('uses the same kickstart file as the Kubernetes base', () => {
    const file = mountedFile(replicas[0], environmentOf(replicas[0]).KICKSTART_FILE);
    expect(JSON.parse(readRepoFile(file))).toEqual(JSON.parse(readRepoFile('k8s/kickstart.json')));
  });

  it('starts replicas once MySQL and Redis are healthy, and the balancer once they are', () => {
    expect(services.mysql.healthcheck?.test).toBeDefined();
    expect(services.redis.healthcheck?.test).toBeDefined();
    for (const replica of replicas) {
      expect(String(replica.healthcheck?.test)).toContain('/api/health');
      expect(dependencies(replica)).toEqual({ mysql: 'service_healthy', redis: 'service_healthy' });
    }
    expect(dependencies(services[LOAD_BALANCER])).toEqual(
      Object.fromEntries(REPLICAS.map((name) => [name, 'service_healthy'])),
    );
  });

  it('gives in-flight requests their grace period on stop', () => {
    for (const replica of replicas) {
      const grace = Number(environmentOf(replica).SHUTDOWN_GRACE_SECONDS ?? 10);
      const drain = Number(environmentOf(replica).SHUTDOWN_DRAIN_SECONDS ?? 5);
      expect(seconds(replica.stop_grace_period)).toBeGreaterThan(drain + grace);
    }
  });

  it('believes X-Forwarded-For from the load balancer', () => {
    const networks = services[LOAD_BALANCER].networks;
    const addresses = Array.isArray(networks)
      ? []
      : Object.values(networks ?? {}).map((network) => network?.ipv4_address);
    expect(addresses).toHaveLength(1);
    for (const replica of replicas) {
      expect(environmentOf(replica).TRUSTED_PROXIES.split(',')).toContain(addresses[0]);
    }
  });

  it('keeps every credential default a development value', () => {
    const defaults = [...text.matchAll(/\$\{([A-Z0-9_]+):?-([^}]*)\}/g)]
      .filter(([, name]) => /(PASSWORD|_KEY|SECRET|TOKEN)$/.test(name))
      .map(([, name, fallback]) => [name, fallback]);
    expect(defaults.length).toBeGreaterThan(0);
    for (const [name, fallback] of defaults)
      expect([name, fallback]).toEqual([name, expect.stringMatching(/dev/)]);
  });
});

describe('deploy/haproxy.cfg', () => {
  const config = readRepoFile(
    mountedFile(compose.services[LOAD_BALANCER], '/usr/local/etc/haproxy/haproxy.cfg'),
  );
  const lines = config
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);

  it('balances round-robin over the three replicas on port 9011', () => {
    expect(lines).toContain(`bind :${PORT}`);
    expect(lines).toContain('balance roundrobin');
    const servers = lines
      .filter((line) => line.startsWith('server '))
      .map((line) => line.split(/\s+/)[2]);
    expect(servers).toEqual(REPLICAS.map((name) => `${name}:${PORT}`));
  });

  it('passes X-Forwarded-For and checks /api/health', () => {
    expect(lines).toContain('option forwardfor');
    expect(
      lines.some((line) => line.startsWith('http-check send') && line.includes('uri /api/health')),
    ).toBe(true);
    expect(lines.some((line) => /^default-server .*\bcheck\b/.test(line))).toBe(true);
  });

  it('takes a draining replica out before its drain ends, and never resends a request', () => {
    const check = lines.find((line) => line.startsWith('default-server '))!;
    const inter = Number(/\binter (\d+)s\b/.exec(check)?.[1]);
    const fall = Number(/\bfall (\d+)\b/.exec(check)?.[1]);
    for (const replica of REPLICAS) {
      const drain = Number(environmentOf(compose.services[replica]).SHUTDOWN_DRAIN_SECONDS ?? 5);
      // The first failing check may come up to one interval after the drain starts.
      expect(inter * (fall + 1)).toBeLessThan(drain);
    }
    // Retries are for connections that could not be opened only (HAProxy's default).
    expect(lines.filter((line) => line.startsWith('retry-on'))).toEqual([]);
  });
});

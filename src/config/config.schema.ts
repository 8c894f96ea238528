import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseRedisUrl, RedisUrlError } from './redis-url';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * TLS to MySQL, as MySQL's own clients name it: REQUIRED encrypts without checking the
 * certificate, VERIFY_CA checks that it chains to the CA, VERIFY_IDENTITY also that it names
 * the host.
 */
export interface MysqlTls {
  readonly mode: 'REQUIRED' | 'VERIFY_CA' | 'VERIFY_IDENTITY';
  /** PEM file of the CA; null: the system's CAs. */
  readonly caFile: string | null;
}

export type DatabaseSettings =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'mysql'; readonly url: string; readonly tls: MysqlTls | null };

const MYSQL_TLS_MODES = ['DISABLED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'] as const;

/** `?ssl-mode=…&ssl-ca=…` of a mysql:// URL; the URL passed on is without them. */
function mysqlSettings(raw: string): DatabaseSettings {
  let url: URL;
  try {
    url = new URL(raw.replace(/^mariadb:/i, 'mysql:'));
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid mysql:// URL');
  }
  const modeText = url.searchParams.get('ssl-mode');
  const caFile = url.searchParams.get('ssl-ca');
  for (const name of [...url.searchParams.keys()])
    if (name !== 'ssl-mode' && name !== 'ssl-ca')
      throw new ConfigError('DATABASE_URL', `has an unknown option "${name}" (ssl-mode, ssl-ca)`);
  url.search = '';
  const mode = MYSQL_TLS_MODES.find((candidate) => candidate === modeText?.toUpperCase());
  if (modeText !== null && mode === undefined)
    throw new ConfigError('DATABASE_URL', `ssl-mode must be one of ${MYSQL_TLS_MODES.join(', ')}`);
  if (caFile !== null) {
    if (mode === 'DISABLED' || mode === 'REQUIRED')
      throw new ConfigError('DATABASE_URL', 'ssl-ca needs ssl-mode VERIFY_CA or VERIFY_IDENTITY');
    try {
      readFileSync(caFile);
    } catch {
      throw new ConfigError('DATABASE_URL', `cannot read ssl-ca ${caFile}`);
    }
  }
  // A CA named without a mode means verification, identity included.
  const effective = mode ?? (caFile !== null ? 'VERIFY_IDENTITY' : 'DISABLED');
  return {
    dialect: 'mysql',
    url: url.toString(),
    tls: effective === 'DISABLED' ? null : { mode: effective, caFile },
  };
}

export interface AppConfig {
  /** TCP port the HTTP API listens on. */
  readonly port: number;
  /** Address the HTTP API binds to. */
  readonly host: string;
  /** Where the data lives: an SQLite file (embedded default) or a MySQL/MariaDB server. */
  readonly database: DatabaseSettings;
  /** Redis for the cluster key-change bus; absent means the in-process bus. */
  /** `redis://`, `rediss://` or a Sentinel form (see redis-url.ts); null: the in-process bus. */
  readonly redisUrl: string | null;
  /** The CA that signs Redis's (and Sentinels') certificates, for `rediss…` URLs. */
  readonly redisTlsCaFile: string | null;
  /** Prefix of every Redis channel and key, so environments can share one Redis. */
  readonly busChannelPrefix: string;
  /** How often a replica proves its bus subscription receives (it must hear its own beat within two). */
  readonly busHeartbeatMs: number;
  /** A kickstart JSON file applied once to an empty database. */
  readonly kickstartFile: string | null;
  /** Upper bound on how long a cached API key is trusted without a re-read. */
  readonly apiKeyCacheTtlSeconds: number;
  /** Most API keys one replica keeps in memory. */
  readonly apiKeyCacheMaxEntries: number;
  /** Loopback requests may read /api/status and /api/prometheus/metrics without credentials. */
  readonly localMetricsEnabled: boolean;
  /** Peers whose X-Forwarded-For is believed (IP addresses or CIDR ranges). */
  readonly trustedProxies: readonly string[];
  /** Log verbosity. */
  readonly logLevel: LogLevel;
  /** How long shutdown waits for in-flight requests before closing connections. */
  readonly shutdownGraceSeconds: number;
  /**
   * On SIGTERM, how long the replica keeps serving while its health check says "not
   * ready", so that load balancers stop sending before it stops accepting.
   */
  readonly shutdownDrainSeconds: number;
  /** Longest a new MySQL connection's handshake may take. */
  readonly databaseConnectTimeoutMs: number;
  /** Longest a request waits for a free MySQL connection (a new one's handshake included). */
  readonly databaseAcquireTimeoutMs: number;
  /** Longest a MySQL query, or a database lookup shared by several requests, may take. */
  readonly databaseQueryTimeoutMs: number;
  /** Longest a client may take to send a request's head, from its first byte. */
  readonly httpHeadersTimeoutMs: number;
  /** Longest a client may take to send a whole request, head and body. */
  readonly httpRequestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  readonly httpKeepAliveTimeoutMs: number;
  /** Where callers reach Portcullis (`https://auth.example.com`), for discovery's URLs; null: from each request. */
  readonly publicUrl: string | null;
  /** Leeway on a JWT's `exp` and `nbf` for clocks that disagree. */
  readonly jwtClockSkewSeconds: number;
  /** Most verified JWTs one replica remembers (their signatures are not checked again). */
  readonly jwtCacheMaxEntries: number;
  /** Login cookies carry `Secure` (sent back over HTTPS only). */
  readonly cookieSecure: boolean;
  /** Login cookies' `SameSite` attribute. */
  readonly cookieSameSite: CookieSameSite;
  /**
   * Secrets that encrypt retrievable key values at rest: the current one first, then a
   * previous one that only decrypts (while values are sealed again). Empty: none set.
   */
  readonly keyEncryptionSecrets: readonly string[];
  /** What a rate-limited key gets when Redis cannot answer: allowed (open) or refused (closed). */
  readonly rateLimitOnRedisFailure: 'open' | 'closed';
  /** Longest a rate-limit check may wait for Redis before it counts as away. */
  readonly rateLimitRedisTimeoutMs: number;
  /** Whether replicas note each key's last use at all. */
  readonly apiKeyLastUsedEnabled: boolean;
  /** How often a replica writes the key uses it noted (the accuracy of `lastUsedInstant`). */
  readonly apiKeyLastUsedIntervalSeconds: number;
  /** How long the API keys' audit trail keeps an event. */
  readonly auditRetentionDays: number;
}

export type CookieSameSite = 'Strict' | 'Lax' | 'None';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
const DEFAULT_SQLITE_PATH = './data/portcullis.sqlite';

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase() ?? null;
  if (raw === null) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function database(env: Env): DatabaseSettings {
  const raw = text(env, 'DATABASE_URL');
  if (raw === null) return { dialect: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (/^(mysql|mariadb):\/\//i.test(raw)) return mysqlSettings(raw);
  if (/^sqlite:/i.test(raw)) {
    const path = raw.replace(/^sqlite:(\/\/)?/i, '');
    if (!path) throw new ConfigError('DATABASE_URL', 'names no SQLite file');
    return { dialect: 'sqlite', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError('DATABASE_URL', 'must be a file path, sqlite:<path> or mysql://…');
  }
  return { dialect: 'sqlite', path: raw };
}

function redisUrl(env: Env): string | null {
  const raw = text(env, 'REDIS_URL');
  if (raw === null) return null;
  try {
    parseRedisUrl(raw);
  } catch (error) {
    if (error instanceof RedisUrlError) throw new ConfigError('REDIS_URL', error.message);
    throw error;
  }
  return raw;
}

/** A CA file for Redis over TLS: read at boot, so that a wrong path fails the start. */
function redisTlsCaFile(env: Env, url: string | null): string | null {
  const path = text(env, 'REDIS_TLS_CA_FILE');
  if (path === null) return null;
  if (url === null || !parseRedisUrl(url).tls)
    throw new ConfigError(
      'REDIS_TLS_CA_FILE',
      'needs a REDIS_URL with rediss:// or rediss+sentinel://',
    );
  try {
    readFileSync(path);
  } catch {
    throw new ConfigError('REDIS_TLS_CA_FILE', `cannot read ${path}`);
  }
  return path;
}

/** An IP address or a CIDR range (v4 or v6). */
export function isAddressOrRange(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  if (!/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function trustedProxies(env: Env): string[] {
  const raw = text(env, 'TRUSTED_PROXIES');
  if (raw === null) return [];
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.find((entry) => !isAddressOrRange(entry));
  if (bad !== undefined)
    throw new ConfigError(
      'TRUSTED_PROXIES',
      `has "${bad}", which is not an IP address or CIDR range`,
    );
  return entries;
}

function logLevel(env: Env): LogLevel {
  const raw = text(env, 'LOG_LEVEL')?.toLowerCase() ?? 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === raw);
  if (!level)
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
}

function channelPrefix(env: Env): string {
  const raw = text(env, 'BUS_CHANNEL_PREFIX') ?? 'portcullis';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) {
    throw new ConfigError('BUS_CHANNEL_PREFIX', 'must be 1 to 64 letters, digits or _ . : -');
  }
  return raw;
}

function httpTimeouts(
  env: Env,
): Pick<AppConfig, 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpKeepAliveTimeoutMs'> {
  const headers = integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const request = integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000);
  // Node's HTTP server refuses a head deadline past the whole request's.
  if (headers > request)
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must not exceed HTTP_REQUEST_TIMEOUT_MS (${request}), got "${headers}"`,
    );
  return {
    httpHeadersTimeoutMs: headers,
    httpRequestTimeoutMs: request,
    httpKeepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 20_000, 100, 600_000),
  };
}

const SAME_SITE: readonly CookieSameSite[] = ['Strict', 'Lax', 'None'];

/** Browsers drop a `SameSite=None` cookie that is not also `Secure`. */
function cookies(env: Env): Pick<AppConfig, 'cookieSecure' | 'cookieSameSite'> {
  const secure = flag(env, 'COOKIE_SECURE', true);
  const raw = text(env, 'COOKIE_SAME_SITE') ?? 'Lax';
  const sameSite = SAME_SITE.find((value) => value.toLowerCase() === raw.toLowerCase());
  if (sameSite === undefined)
    throw new ConfigError('COOKIE_SAME_SITE', `must be Strict, Lax or None, got "${raw}"`);
  if (sameSite === 'None' && !secure)
    throw new ConfigError('COOKIE_SAME_SITE', 'may be None only with COOKIE_SECURE=true');
  return { cookieSecure: secure, cookieSameSite: sameSite };
}

/** An absolute http(s) URL without query, fragment or trailing slash. */
function publicUrl(env: Env): string | null {
  const value = text(env, 'PUBLIC_URL');
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('PUBLIC_URL', `must be an absolute URL, got "${value}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '')
    throw new ConfigError(
      'PUBLIC_URL',
      `must be an http(s) URL without query or fragment, got "${value}"`,
    );
  return url.href.replace(/\/+$/, '');
}

const MIN_SECRET_LENGTH = 32;

/** `KEY_ENCRYPTION_SECRET` and, during a rotation, `KEY_ENCRYPTION_SECRET_PREVIOUS`. */
function keyEncryptionSecrets(env: Env): string[] {
  const secrets: string[] = [];
  for (const name of ['KEY_ENCRYPTION_SECRET', 'KEY_ENCRYPTION_SECRET_PREVIOUS']) {
    const value = text(env, name);
    if (value === null) continue;
    // The value is never repeated in the message: it is a secret.
    if (value.length < MIN_SECRET_LENGTH)
      throw new ConfigError(name, `must be at least ${MIN_SECRET_LENGTH} characters long`);
    secrets.push(value);
  }
  if (secrets.length === 1 && text(env, 'KEY_ENCRYPTION_SECRET') === null)
    throw new ConfigError(
      'KEY_ENCRYPTION_SECRET_PREVIOUS',
      'needs KEY_ENCRYPTION_SECRET beside it',
    );
  return secrets;
}

function rateLimitOnRedisFailure(env: Env): 'open' | 'closed' {
  const raw = text(env, 'RATE_LIMIT_ON_REDIS_FAILURE')?.toLowerCase() ?? 'open';
  if (raw !== 'open' && raw !== 'closed')
    throw new ConfigError('RATE_LIMIT_ON_REDIS_FAILURE', `must be open or closed, got "${raw}"`);
  return raw;
}

/** Reads every setting once; a bad value names its variable. */
export function loadConfig(env: Env): AppConfig {
  return Object.freeze({
    port: integer(env, 'PORT', 9011, 0, 65535),
    host: text(env, 'HOST') ?? '0.0.0.0',
    database: Object.freeze(database(env)),
    redisUrl: redisUrl(env),
    redisTlsCaFile: redisTlsCaFile(env, redisUrl(env)),
    busChannelPrefix: channelPrefix(env),
    busHeartbeatMs: integer(env, 'BUS_HEARTBEAT_INTERVAL_MS', 1_000, 50, 60_000),
    kickstartFile: text(env, 'KICKSTART_FILE'),
    apiKeyCacheTtlSeconds: integer(env, 'API_KEY_CACHE_TTL_SECONDS', 60, 1, 86_400),
    apiKeyCacheMaxEntries: integer(env, 'API_KEY_CACHE_MAX_ENTRIES', 200_000, 100, 10_000_000),
    localMetricsEnabled: flag(env, 'LOCAL_METRICS_ENABLED', false),
    trustedProxies: Object.freeze(trustedProxies(env)),
    logLevel: logLevel(env),
    shutdownGraceSeconds: integer(env, 'SHUTDOWN_GRACE_SECONDS', 10, 0, 600),
    shutdownDrainSeconds: integer(env, 'SHUTDOWN_DRAIN_SECONDS', 5, 0, 600),
    databaseConnectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    databaseAcquireTimeoutMs: integer(env, 'DATABASE_ACQUIRE_TIMEOUT_MS', 5_000, 100, 600_000),
    databaseQueryTimeoutMs: integer(env, 'DATABASE_QUERY_TIMEOUT_MS', 10_000, 100, 600_000),
    ...httpTimeouts(env),
    publicUrl: publicUrl(env),
    jwtClockSkewSeconds: integer(env, 'JWT_CLOCK_SKEW_SECONDS', 5, 0, 300),
    jwtCacheMaxEntries: integer(env, 'JWT_CACHE_MAX_ENTRIES', 100_000, 0, 10_000_000),
    ...cookies(env),
    keyEncryptionSecrets: Object.freeze(keyEncryptionSecrets(env)),
    rateLimitOnRedisFailure: rateLimitOnRedisFailure(env),
    rateLimitRedisTimeoutMs: integer(env, 'RATE_LIMIT_REDIS_TIMEOUT_MS', 250, 10, 60_000),
    apiKeyLastUsedEnabled: flag(env, 'API_KEY_LAST_USED_ENABLED', true),
    apiKeyLastUsedIntervalSeconds: integer(
      env,
      'API_KEY_LAST_USED_INTERVAL_SECONDS',
      60,
      1,
      86_400,
    ),
    auditRetentionDays: integer(env, 'AUDIT_RETENTION_DAYS', 90, 1, 3650),
  });
}

export const APP_CONFIG = Symbol('APP_CONFIG');

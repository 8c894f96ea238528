import { ConfigError, isAddressOrRange, loadConfig } from './config.schema';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('fills every setting with its default from an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 9011,
      host: '0.0.0.0',
      database: { dialect: 'sqlite', path: './data/portcullis.sqlite' },
      redisUrl: null,
      redisTlsCaFile: null,
      busChannelPrefix: 'portcullis',
      busHeartbeatMs: 1000,
      kickstartFile: null,
      apiKeyCacheTtlSeconds: 60,
      apiKeyCacheMaxEntries: 200_000,
      localMetricsEnabled: false,
      trustedProxies: [],
      logLevel: 'info',
      shutdownGraceSeconds: 10,
      shutdownDrainSeconds: 5,
      databaseConnectTimeoutMs: 5_000,
      databaseAcquireTimeoutMs: 5_000,
      databaseQueryTimeoutMs: 10_000,
      httpHeadersTimeoutMs: 10_000,
      httpRequestTimeoutMs: 30_000,
      httpKeepAliveTimeoutMs: 20_000,
      publicUrl: null,
      jwtClockSkewSeconds: 5,
      jwtCacheMaxEntries: 100_000,
      cookieSecure: true,
      cookieSameSite: 'Lax',
      keyEncryptionSecrets: [],
      rateLimitOnRedisFailure: 'open',
      rateLimitRedisTimeoutMs: 250,
      apiKeyLastUsedEnabled: true,
      apiKeyLastUsedIntervalSeconds: 60,
      auditRetentionDays: 90,
    });
  });

  it('reads the key encryption secrets, current first, and refuses short ones without echoing them', () => {
    const current = 'c'.repeat(32);
    const previous = 'p'.repeat(40);
    expect(
      loadConfig({ KEY_ENCRYPTION_SECRET: current, KEY_ENCRYPTION_SECRET_PREVIOUS: previous })
        .keyEncryptionSecrets,
    ).toEqual([current, previous]);
    const short = configError({ KEY_ENCRYPTION_SECRET: 'too-short-secret' });
    expect(short.variable).toBe('KEY_ENCRYPTION_SECRET');
    expect(short.message).not.toContain('too-short-secret');
    expect(configError({ RATE_LIMIT_ON_REDIS_FAILURE: 'ajar' }).variable).toBe(
      'RATE_LIMIT_ON_REDIS_FAILURE',
    );
    expect(configError({ KEY_ENCRYPTION_SECRET_PREVIOUS: previous }).variable).toBe(
      'KEY_ENCRYPTION_SECRET_PREVIOUS',
    );
  });

  it('reads the login cookie settings, and refuses SameSite=None without Secure', () => {
    expect(loadConfig({ COOKIE_SECURE: 'false', COOKIE_SAME_SITE: 'strict' })).toMatchObject({
      cookieSecure: false,
      cookieSameSite: 'Strict',
    });
    expect(loadConfig({ COOKIE_SAME_SITE: 'None' }).cookieSameSite).toBe('None');
    expect(configError({ COOKIE_SAME_SITE: 'None', COOKIE_SECURE: 'false' }).variable).toBe(
      'COOKIE_SAME_SITE',
    );
    expect(configError({ COOKIE_SAME_SITE: 'Sometimes' }).variable).toBe('COOKIE_SAME_SITE');
    expect(configError({ COOKIE_SECURE: 'maybe' }).variable).toBe('COOKIE_SECURE');
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ PORT: '  ', DATABASE_URL: '', LOG_LEVEL: ' ' });
    expect(config.port).toBe(9011);
    expect(config.database).toEqual({ dialect: 'sqlite', path: './data/portcullis.sqlite' });
    expect(config.logLevel).toBe('info');
  });

  it('reads explicit values', () => {
    const config = loadConfig({
      PORT: ' 8080 ',
      HOST: '127.0.0.1',
      REDIS_URL: 'rediss://cache.example:6380/0',
      BUS_CHANNEL_PREFIX: 'staging:portcullis',
      BUS_HEARTBEAT_INTERVAL_MS: '250',
      KICKSTART_FILE: '/etc/portcullis/kickstart.json',
      API_KEY_CACHE_TTL_SECONDS: '5',
      API_KEY_CACHE_MAX_ENTRIES: '100',
      LOCAL_METRICS_ENABLED: 'TRUE',
      TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.1 ,fd00::/8',
      LOG_LEVEL: 'Debug',
      SHUTDOWN_GRACE_SECONDS: '0',
      SHUTDOWN_DRAIN_SECONDS: '2',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_ACQUIRE_TIMEOUT_MS: '2000',
      DATABASE_QUERY_TIMEOUT_MS: '3000',
      HTTP_HEADERS_TIMEOUT_MS: '4000',
      HTTP_REQUEST_TIMEOUT_MS: '5000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '6000',
      PUBLIC_URL: 'https://auth.example.com/',
      JWT_CLOCK_SKEW_SECONDS: '7',
      JWT_CACHE_MAX_ENTRIES: '0',
      COOKIE_SECURE: 'false',
      COOKIE_SAME_SITE: 'Strict',
      KEY_ENCRYPTION_SECRET: 'k'.repeat(32),
      RATE_LIMIT_ON_REDIS_FAILURE: 'Closed',
      RATE_LIMIT_REDIS_TIMEOUT_MS: '100',
      AUDIT_RETENTION_DAYS: '7',
      API_KEY_LAST_USED_INTERVAL_SECONDS: '1',
      API_KEY_LAST_USED_ENABLED: 'false',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      database: { dialect: 'sqlite', path: './data/portcullis.sqlite' },
      redisUrl: 'rediss://cache.example:6380/0',
      redisTlsCaFile: null,
      busChannelPrefix: 'staging:portcullis',
      busHeartbeatMs: 250,
      kickstartFile: '/etc/portcullis/kickstart.json',
      apiKeyCacheTtlSeconds: 5,
      apiKeyCacheMaxEntries: 100,
      localMetricsEnabled: true,
      trustedProxies: ['10.0.0.0/8', '192.168.1.1', 'fd00::/8'],
      logLevel: 'debug',
      shutdownGraceSeconds: 0,
      shutdownDrainSeconds: 2,
      databaseConnectTimeoutMs: 1_000,
      databaseAcquireTimeoutMs: 2_000,
      databaseQueryTimeoutMs: 3_000,
      httpHeadersTimeoutMs: 4_000,
      httpRequestTimeoutMs: 5_000,
      httpKeepAliveTimeoutMs: 6_000,
      publicUrl: 'https://auth.example.com',
      jwtClockSkewSeconds: 7,
      jwtCacheMaxEntries: 0,
      cookieSecure: false,
      cookieSameSite: 'Strict',
      keyEncryptionSecrets: ['k'.repeat(32)],
      rateLimitOnRedisFailure: 'closed',
      rateLimitRedisTimeoutMs: 100,
      apiKeyLastUsedEnabled: false,
      apiKeyLastUsedIntervalSeconds: 1,
      auditRetentionDays: 7,
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads LOCAL_METRICS_ENABLED=%s as %s', (value, expected) => {
    expect(loadConfig({ LOCAL_METRICS_ENABLED: value }).localMetricsEnabled).toBe(expected);
  });

  it.each([
    ['mysql://user:secret@db:3306/portcullis', 'mysql://user:secret@db:3306/portcullis'],
    ['MySQL://db/portcullis', 'mysql://db/portcullis'],
    ['mariadb://user@db/portcullis', 'mysql://user@db/portcullis'],
    ['MARIADB://db/portcullis', 'mysql://db/portcullis'],
  ])('reads DATABASE_URL=%s as MySQL %s', (value, url) => {
    expect(loadConfig({ DATABASE_URL: value }).database).toEqual({
      dialect: 'mysql',
      url,
      tls: null,
    });
  });

  it('reads TLS options for MySQL from the URL, and passes the URL on without them', () => {
    const tls = (query: string) =>
      loadConfig({ DATABASE_URL: `mysql://u:p@db:3306/portcullis?${query}` }).database;
    expect(tls(`ssl-ca=${__filename}`)).toEqual({
      dialect: 'mysql',
      url: 'mysql://u:p@db:3306/portcullis',
      tls: { mode: 'VERIFY_IDENTITY', caFile: __filename },
    });
    expect(tls(`ssl-mode=verify_ca&ssl-ca=${__filename}`)).toMatchObject({
      tls: { mode: 'VERIFY_CA', caFile: __filename },
    });
    expect(tls('ssl-mode=REQUIRED')).toMatchObject({ tls: { mode: 'REQUIRED', caFile: null } });
    expect(tls('ssl-mode=DISABLED')).toMatchObject({ tls: null });
    for (const [query, message] of [
      ['ssl-mode=sometimes', /ssl-mode must be one of/],
      ['ssl-ca=/no/such/ca.pem', /cannot read ssl-ca/],
      [`ssl-mode=REQUIRED&ssl-ca=${__filename}`, /needs ssl-mode VERIFY_CA/],
      ['sslmode=require', /unknown option "sslmode"/],
    ] as const)
      expect(() => tls(query)).toThrow(message);
  });

  it.each([
    ['sqlite:./data/other.sqlite', './data/other.sqlite'],
    ['sqlite://relative/file.db', 'relative/file.db'],
    ['sqlite:///var/lib/portcullis.db', '/var/lib/portcullis.db'],
    ['SQLITE:x.db', 'x.db'],
    ['/var/lib/portcullis.db', '/var/lib/portcullis.db'],
    [':memory:', ':memory:'],
  ])('reads DATABASE_URL=%s as the SQLite file %s', (value, path) => {
    expect(loadConfig({ DATABASE_URL: value }).database).toEqual({ dialect: 'sqlite', path });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'postgres://x'],
    ['DATABASE_URL', 'mysql://[::1'],
    ['DATABASE_URL', 'sqlite:'],
    ['REDIS_URL', 'http://x'],
    ['REDIS_URL', 'redis://[::1'],
    ['REDIS_URL', 'redis+sentinel://s1,s2'],
    ['BUS_CHANNEL_PREFIX', 'has space'],
    ['BUS_CHANNEL_PREFIX', 'x'.repeat(65)],
    ['TRUSTED_PROXIES', '1.2.3.4/33'],
    ['TRUSTED_PROXIES', 'nonsense'],
    ['TRUSTED_PROXIES', '10.0.0.1,::1/129'],
    ['LOG_LEVEL', 'loud'],
    ['LOCAL_METRICS_ENABLED', 'maybe'],
    ['API_KEY_CACHE_TTL_SECONDS', '0'],
    ['API_KEY_CACHE_TTL_SECONDS', '86401'],
    ['API_KEY_CACHE_MAX_ENTRIES', '99'],
    ['SHUTDOWN_GRACE_SECONDS', '601'],
    ['SHUTDOWN_DRAIN_SECONDS', '-1'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '99'],
    ['DATABASE_ACQUIRE_TIMEOUT_MS', '0'],
    ['DATABASE_QUERY_TIMEOUT_MS', '600001'],
    ['HTTP_HEADERS_TIMEOUT_MS', '40000'],
    ['HTTP_REQUEST_TIMEOUT_MS', 'soon'],
    ['HTTP_KEEP_ALIVE_TIMEOUT_MS', '0'],
    ['PUBLIC_URL', 'auth.example.com'],
    ['PUBLIC_URL', 'ftp://auth.example.com'],
    ['PUBLIC_URL', 'https://auth.example.com/?x=1'],
    ['JWT_CLOCK_SKEW_SECONDS', '301'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('quotes the offending value in the message', () => {
    expect(configError({ PORT: '70000' }).message).toBe(
      'Invalid configuration: PORT must be a whole number from 0 to 65535, got "70000"',
    );
    expect(configError({ TRUSTED_PROXIES: '10.0.0.1, nonsense' }).message).toBe(
      'Invalid configuration: TRUSTED_PROXIES has "nonsense", which is not an IP address or CIDR range',
    );
  });

  it('returns a frozen configuration, nested values included', () => {
    const config = loadConfig({ TRUSTED_PROXIES: '10.0.0.1' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(Object.isFrozen(config.trustedProxies)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('isAddressOrRange', () => {
  it.each([
    ['10.0.0.1', true],
    ['10.0.0.0/8', true],
    ['0.0.0.0/0', true],
    ['1.2.3.4/32', true],
    ['::1', true],
    ['2001:db8::/128', true],
    ['1.2.3.4/33', false],
    ['2001:db8::/129', false],
    ['1.2.3.4/', false],
    ['1.2.3.4/8/8', false],
    ['1.2.3.4/x', false],
    ['1.2.3', false],
    ['example.com', false],
    ['', false],
  ])('%s → %s', (value, expected) => {
    expect(isAddressOrRange(value)).toBe(expected);
  });
});

describe('REDIS_TLS_CA_FILE', () => {
  const base = { DATABASE_URL: ':memory:' };
  it('is read for a TLS URL, and refused when unreadable or without TLS', () => {
    expect(
      loadConfig({ ...base, REDIS_URL: 'rediss://cache:6380', REDIS_TLS_CA_FILE: __filename })
        .redisTlsCaFile,
    ).toBe(__filename);
    expect(() =>
      loadConfig({
        ...base,
        REDIS_URL: 'rediss://cache:6380',
        REDIS_TLS_CA_FILE: '/no/such/ca.pem',
      }),
    ).toThrow(/REDIS_TLS_CA_FILE.*cannot read/);
    expect(() =>
      loadConfig({ ...base, REDIS_URL: 'redis://cache:6379', REDIS_TLS_CA_FILE: __filename }),
    ).toThrow(/REDIS_TLS_CA_FILE.*rediss/);
  });
});

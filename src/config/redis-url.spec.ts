import { parseRedisUrl } from './redis-url';

describe('parseRedisUrl', () => {
  it('reads one Redis, with TLS, credentials and a database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({
      kind: 'direct',
      tls: false,
      host: '127.0.0.1',
      port: 6379,
      username: null,
      password: null,
      db: 0,
    });
    expect(parseRedisUrl('rediss://app:p%40ss:w@cache.example:6380/2')).toEqual({
      kind: 'direct',
      tls: true,
      host: 'cache.example',
      port: 6380,
      username: 'app',
      password: 'p@ss:w',
      db: 2,
    });
    expect(parseRedisUrl('redis://:secret@[::1]')).toMatchObject({
      host: '::1',
      port: 6379,
      username: null,
      password: 'secret',
    });
  });

  it('reads Sentinels, the master name, and the Sentinels own credentials', () => {
    expect(
      parseRedisUrl(
        'redis+sentinel://:redispw@s1:26379,s2,[::1]:26380/mymaster/1?sentinelPassword=sentinelpw',
      ),
    ).toEqual({
      kind: 'sentinel',
      tls: false,
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      username: null,
      password: 'redispw',
      sentinelUsername: null,
      sentinelPassword: 'sentinelpw',
      db: 1,
    });
    expect(parseRedisUrl('rediss+sentinel://s1/main')).toMatchObject({ tls: true, name: 'main' });
  });

  it.each([
    ['http://cache:6379', /must start with/],
    ['redis://', /names no host/],
    ['redis://a:6379,b:6379', /several hosts/],
    ['redis://a:99999', /invalid port/],
    ['redis://a:6379/x', /database number/],
    ['redis://a/1/2', /beyond the database/],
    ['redis+sentinel://s1,s2', /names no master/],
    ['redis+sentinel://s1/m/1/x', /beyond the master/],
    ['redis://a b', /invalid host/],
    ['redis://%zz:x@a', /badly escaped/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseRedisUrl(raw)).toThrow(message);
  });
});

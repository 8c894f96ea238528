/**
 * Where Redis is, from `REDIS_URL`:
 * - `redis://[[user]:password@]host[:port][/db]` (TLS: `rediss://…`);
 * - Sentinel: `redis+sentinel://[[user]:password@]host1[:port],host2[:port],…/master[/db]`
 *   (TLS to Sentinels and Redis alike: `rediss+sentinel://…`); the credentials are Redis's,
 *   and `?sentinelPassword=…` (with `sentinelUsername=…`) gives the Sentinels' own. Port
 *   26379 by default for Sentinels, 6379 for Redis.
 * Plain data, so that it can cross into a worker thread.
 */
export type RedisEndpoint =
  | {
      readonly kind: 'direct';
      readonly tls: boolean;
      readonly host: string;
      readonly port: number;
      readonly username: string | null;
      readonly password: string | null;
      readonly db: number;
    }
  | {
      readonly kind: 'sentinel';
      readonly tls: boolean;
      readonly sentinels: readonly { readonly host: string; readonly port: number }[];
      readonly name: string;
      readonly username: string | null;
      readonly password: string | null;
      readonly sentinelUsername: string | null;
      readonly sentinelPassword: string | null;
      readonly db: number;
    };

export class RedisUrlError extends Error {}

const SCHEME = /^(redis|rediss|redis\+sentinel|rediss\+sentinel):\/\/(.*)$/i;

function port(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 65_535)
    throw new RedisUrlError(`has an invalid port "${text}"`);
  return value;
}

function database(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d{1,2}$/.test(text)) throw new RedisUrlError(`has an invalid database number "${text}"`);
  return Number(text);
}

/** `host[:port]`, the host possibly a bracketed IPv6 address. */
function hostAndPort(text: string, fallback: number): { host: string; port: number } {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]/?#@,\s]+)(?::(\d*))?$/i.exec(text);
  if (!match) throw new RedisUrlError(`has an invalid host "${text}"`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port: port(match[2], fallback) };
}

function credentials(userinfo: string | null): {
  username: string | null;
  password: string | null;
} {
  if (userinfo === null) return { username: null, password: null };
  const [user, ...rest] = userinfo.split(':');
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      throw new RedisUrlError('has badly escaped credentials');
    }
  };
  return {
    username: user === '' ? null : decode(user),
    password: rest.length === 0 ? null : decode(rest.join(':')),
  };
}

export function parseRedisUrl(raw: string): RedisEndpoint {
  const scheme = SCHEME.exec(raw.trim());
  if (!scheme)
    throw new RedisUrlError(
      'must start with redis://, rediss://, redis+sentinel:// or rediss+sentinel://',
    );
  const kind = scheme[1].toLowerCase();
  const tls = kind.startsWith('rediss');
  let rest = scheme[2];
  const query = new URLSearchParams(rest.includes('?') ? rest.slice(rest.indexOf('?') + 1) : '');
  if (rest.includes('?')) rest = rest.slice(0, rest.indexOf('?'));
  const at = rest.lastIndexOf('@');
  const auth = credentials(at === -1 ? null : rest.slice(0, at));
  rest = at === -1 ? rest : rest.slice(at + 1);
  const [hosts, ...path] = rest.split('/');
  if (hosts === '') throw new RedisUrlError('names no host');
  if (!kind.endsWith('sentinel')) {
    if (hosts.includes(',')) throw new RedisUrlError('names several hosts: use redis+sentinel://');
    if (path.length > 1) throw new RedisUrlError('has a path beyond the database number');
    return { kind: 'direct', tls, ...hostAndPort(hosts, 6379), ...auth, db: database(path[0]) };
  }
  const [name, db, ...extra] = path;
  if (name === undefined || name === '')
    throw new RedisUrlError('names no master: redis+sentinel://host1,host2,host3/<master>');
  if (extra.length > 0) throw new RedisUrlError('has a path beyond the master and database');
  return {
    kind: 'sentinel',
    tls,
    sentinels: hosts.split(',').map((host) => hostAndPort(host, 26379)),
    name: decodeURIComponent(name),
    ...auth,
    sentinelUsername: query.get('sentinelUsername'),
    sentinelPassword: query.get('sentinelPassword'),
    db: database(db),
  };
}

import Redis from 'ioredis';
import { withDeadline } from '../database/deadline';
import { RedisConnection, redisOptions } from '../key-cache/redis.options';
import { RateLimit, RateVerdict } from './rate-limit';
import { RateLimiter } from './rate-limiter';

/**
 * `gcra` of rate-limit.ts, in one Lua script: one round trip, atomic across replicas,
 * and Redis's own clock, so replicas whose clocks disagree still share one allowance.
 * Returns {allowed, remaining, resetMs, retryAfterMs}.
 */
const GCRA_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if tat - now > tolerance then
  return {0, 0, math.ceil(tat - now), math.ceil(tat - now - tolerance)}
end
local nextTat = tat + interval
redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.max(1, math.ceil(nextTat - now)))
local remaining = math.floor((tolerance - (nextTat - now)) / interval) + 1
if remaining < 0 then remaining = 0 end
return {1, remaining, math.ceil(nextTat - now), 0}
`;

export interface RedisRateLimiterOptions {
  readonly connection: RedisConnection;
  readonly prefix: string;
  readonly nodeId: string;
  /** Longest a check may take before Redis counts as away. */
  readonly timeoutMs: number;
  /** What a check answers when Redis is away: allow (open) or refuse (closed). */
  readonly onFailure: 'open' | 'closed';
  /** Told of each check Redis could not answer. */
  readonly failed: (outcome: 'open' | 'closed') => void;
}

type Reply = [number, number, number, number];

export class RedisRateLimiter extends RateLimiter {
  private readonly redis: Redis;
  private readonly failure: RateVerdict;

  constructor(private readonly options: RedisRateLimiterOptions) {
    super();
    this.redis = new Redis({
      ...redisOptions(options.connection, options.nodeId, 'rate-limit'),
      lazyConnect: false,
    });
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('portcullisGcra', { numberOfKeys: 1, lua: GCRA_SCRIPT });
    this.failure = Object.freeze({
      allowed: options.onFailure === 'open',
      remaining: 0,
      resetMs: 1_000,
      retryAfterMs: options.onFailure === 'open' ? 0 : 1_000,
    });
  }

  async take(keyId: string, limit: RateLimit): Promise<RateVerdict> {
    const interval = (limit.seconds * 1000) / limit.requests;
    const run = (
      this.redis as unknown as {
        portcullisGcra(key: string, interval: number, tolerance: number): Promise<Reply>;
      }
    ).portcullisGcra(`${this.options.prefix}:rate:{${keyId}}`, interval, limit.burst * interval);
    try {
      const [allowed, remaining, resetMs, retryAfterMs] = await withDeadline(
        run,
        this.options.timeoutMs,
        'a rate-limit check',
      );
      return { allowed: allowed === 1, remaining, resetMs, retryAfterMs };
    } catch {
      run.catch(() => undefined);
      this.options.failed(this.options.onFailure);
      return this.failure;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    return Promise.resolve();
  }
}

import { RateLimit, RateVerdict } from './rate-limit';

/**
 * Counts a key's requests against its limit. In memory for a single node; in Redis for a
 * cluster, so that every replica draws on one allowance. Chosen once, from configuration.
 */
export abstract class RateLimiter {
  abstract take(keyId: string, limit: RateLimit): RateVerdict | Promise<RateVerdict>;
  abstract close(): Promise<void>;
}

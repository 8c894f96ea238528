/** A key's limit: `requests` per `seconds`, and up to `burst` more at once. */
export interface RateLimit {
  readonly requests: number;
  readonly seconds: number;
  readonly burst: number;
}

/** One request judged against a limit. */
export interface RateVerdict {
  readonly allowed: boolean;
  /** Requests that could still be made at once. */
  readonly remaining: number;
  /** Milliseconds until the key could make `burst + 1` requests at once again. */
  readonly resetMs: number;
  /** Milliseconds until a refused request would be allowed (0 when allowed). */
  readonly retryAfterMs: number;
}

/** The stored state: the theoretical arrival time (epoch ms) of the next request. */
export interface GcraStep {
  readonly verdict: RateVerdict;
  /** The state to store; unchanged when refused. */
  readonly tat: number;
}

/**
 * GCRA (the generic cell rate algorithm, a token bucket kept as one number): requests
 * are spaced `seconds / requests` apart on average, and `burst` may come early. In any
 * window of `seconds` at most `requests + burst` are allowed. The same arithmetic runs in
 * memory and in Redis's Lua, so a single node and a cluster limit alike.
 */
export function gcra(tat: number | null, now: number, limit: RateLimit): GcraStep {
  const interval = (limit.seconds * 1000) / limit.requests;
  const tolerance = limit.burst * interval;
  const start = tat === null || tat < now ? now : tat;
  if (start - now > tolerance) {
    return {
      tat: start,
      verdict: {
        allowed: false,
        remaining: 0,
        resetMs: Math.ceil(start - now),
        retryAfterMs: Math.ceil(start - now - tolerance),
      },
    };
  }
  const next = start + interval;
  return {
    tat: next,
    verdict: {
      allowed: true,
      remaining: Math.max(0, Math.floor((tolerance - (next - now)) / interval) + 1),
      resetMs: Math.ceil(next - now),
      retryAfterMs: 0,
    },
  };
}

/**
 * Whether `target` is no looser than `holder`: a manager with a limit gives out only keys
 * with one, no faster on average and with no larger burst.
 */
export function withinRateLimit(holder: RateLimit | null, target: RateLimit | null): boolean {
  if (holder === null) return true;
  if (target === null) return false;
  return (
    target.requests * holder.seconds <= holder.requests * target.seconds &&
    target.burst <= holder.burst
  );
}

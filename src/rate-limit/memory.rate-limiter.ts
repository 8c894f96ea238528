import { gcra, RateLimit, RateVerdict } from './rate-limit';
import { RateLimiter } from './rate-limiter';

/** The embedded default's limiter: one replica, so one map of states is the truth. */
export class MemoryRateLimiter extends RateLimiter {
  private readonly states = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  take(keyId: string, limit: RateLimit): RateVerdict {
    const now = this.now();
    const step = gcra(this.states.get(keyId) ?? null, now, limit);
    this.states.set(keyId, step.tat);
    // States in the past say nothing more than an absent one: dropped now and then.
    if (this.states.size > 10_000)
      for (const [id, tat] of this.states) if (tat < now) this.states.delete(id);
    return step.verdict;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

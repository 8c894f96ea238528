import { gcra, RateLimit, withinRateLimit } from './rate-limit';

/** Runs `count` requests `gapMs` apart from time 0 and says which were allowed. */
function run(limit: RateLimit, count: number, gapMs: number): boolean[] {
  let tat: number | null = null;
  const allowed: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const step = gcra(tat, i * gapMs, limit);
    tat = step.tat;
    allowed.push(step.verdict.allowed);
  }
  return allowed;
}

describe('gcra', () => {
  it('allows burst + 1 at once, then one per interval', () => {
    const limit = { requests: 10, seconds: 1, burst: 2 };
    expect(run(limit, 5, 0)).toEqual([true, true, true, false, false]);
    // 100 ms apart is exactly the rate: always allowed.
    expect(run(limit, 30, 100).every(Boolean)).toBe(true);
  });

  it('never allows more than requests + burst in any window of `seconds`', () => {
    const limit = { requests: 5, seconds: 2, burst: 3 };
    let tat: number | null = null;
    const times: number[] = [];
    for (let now = 0; now < 20_000; now += 37) {
      const step = gcra(tat, now, limit);
      tat = step.tat;
      if (step.verdict.allowed) times.push(now);
    }
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 2_000).length;
      expect(inWindow).toBeLessThanOrEqual(limit.requests + limit.burst);
    }
  });

  it('says how long to wait, and how many remain', () => {
    const limit = { requests: 1, seconds: 60, burst: 0 };
    const first = gcra(null, 0, limit);
    expect(first.verdict).toEqual({
      allowed: true,
      remaining: 0,
      resetMs: 60_000,
      retryAfterMs: 0,
    });
    const second = gcra(first.tat, 1_000, limit);
    expect(second.verdict).toMatchObject({ allowed: false, retryAfterMs: 59_000 });
    expect(second.tat).toBe(first.tat);
    expect(gcra(null, 0, { requests: 10, seconds: 1, burst: 4 }).verdict.remaining).toBe(4);
  });
});

describe('withinRateLimit', () => {
  const holder = { requests: 100, seconds: 60, burst: 10 };
  it.each([
    ['no limit under a holder without one', null, null, true],
    ['the same limit', holder, holder, true],
    ['a slower one', holder, { requests: 50, seconds: 60, burst: 0 }, true],
    [
      'the same rate over a longer window',
      holder,
      { requests: 200, seconds: 120, burst: 10 },
      true,
    ],
    ['no limit under a limited holder', holder, null, false],
    ['a faster one', holder, { requests: 101, seconds: 60, burst: 10 }, false],
    ['a larger burst', holder, { requests: 10, seconds: 60, burst: 11 }, false],
  ])('%s', (_, h, t, expected) => {
    expect(withinRateLimit(h, t)).toBe(expected);
  });
});

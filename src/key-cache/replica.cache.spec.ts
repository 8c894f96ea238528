import { ReplicaCache } from './replica.cache';

interface Pending {
  key: string;
  resolve: (value: string | null) => void;
}

function harness(options: { ttlMs?: number; maxEntries?: number; deadlineMs?: number } = {}) {
  let now = 1_000;
  const pending: Pending[] = [];
  const cache = new ReplicaCache<string | null>(
    (key) => new Promise((resolve) => pending.push({ key, resolve })),
    {
      ttlMs: options.ttlMs ?? 60_000,
      maxEntries: options.maxEntries ?? 100,
      deadlineMs: options.deadlineMs ?? 5_000,
      what: 'a test load',
      now: () => now,
    },
  );
  return {
    cache,
    pending,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ReplicaCache', () => {
  it('loads once for any number of concurrent askers, then answers from memory', async () => {
    const { cache, pending } = harness();
    const first = cache.get('a');
    const second = cache.get('a');
    expect(pending).toHaveLength(1);
    pending[0].resolve('A');
    expect(await first).toBe('A');
    expect(await second).toBe('A');
    expect(cache.get('a')).toBe('A');
  });

  it('holds a "not found" answer too', async () => {
    const { cache, pending } = harness();
    const load = cache.get('gone');
    pending[0].resolve(null);
    expect(await load).toBeNull();
    expect(cache.get('gone')).toBeNull();
  });

  it('reloads after the TTL', async () => {
    const { cache, pending, advance } = harness({ ttlMs: 100 });
    const load = cache.get('a');
    pending[0].resolve('A');
    await load;
    advance(99);
    expect(cache.get('a')).toBe('A');
    advance(1);
    expect(cache.get('a')).toBeInstanceOf(Promise);
    expect(pending).toHaveLength(2);
  });

  it('never stores a load that an eviction overtook', async () => {
    const { cache, pending } = harness();
    const stale = cache.get('a');
    cache.evict('a');
    const fresh = cache.get('a');
    expect(pending).toHaveLength(2);
    pending[1].resolve('new');
    expect(await fresh).toBe('new');
    pending[0].resolve('old');
    expect(await stale).toBe('old');
    expect(cache.get('a')).toBe('new');
  });

  it('evicts by value and flushes everything', async () => {
    const { cache, pending } = harness();
    for (const key of ['a', 'b', 'c']) {
      const load = cache.get(key);
      pending[pending.length - 1].resolve(key === 'b' ? 'user-1' : 'user-2');
      await load;
    }
    cache.evictWhere((value) => value === 'user-2');
    expect(cache.get('b')).toBe('user-1');
    expect(cache.get('a')).toBeInstanceOf(Promise);
    cache.flush();
    expect(cache.size()).toBe(0);
  });

  it('drops the oldest entry when full', async () => {
    const { cache, pending } = harness({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) {
      const load = cache.get(key);
      pending[pending.length - 1].resolve(key);
      await load;
    }
    expect(cache.size()).toBe(2);
    expect(cache.get('c')).toBe('c');
    expect(cache.get('a')).toBeInstanceOf(Promise);
  });

  it('gives up on a load at its deadline and starts afresh for the next asker', async () => {
    jest.useFakeTimers();
    try {
      const { cache, pending } = harness({ deadlineMs: 50 });
      const hung = cache.get('a');
      jest.advanceTimersByTime(50);
      await expect(hung).rejects.toThrow('a test load took longer than 50 ms');
      void cache.get('a');
      expect(pending).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});

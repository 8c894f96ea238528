import { ApiKeyCache, ApiKeyCacheOptions } from './api-key.cache';
import { ApiKeyRecord } from './api-key.record';
import { isDatabaseUnavailable } from '../database/database.errors';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

type Load = Deferred<ApiKeyRecord | null>;

/** A loader whose every call waits until the test settles it. */
class FakeLoader {
  readonly calls: { digest: string; load: Load }[] = [];

  readonly load = (digest: string): Promise<ApiKeyRecord | null> => {
    const load = deferred<ApiKeyRecord | null>();
    this.calls.push({ digest, load });
    return load.promise;
  };

  /** The nth call (0-based), which must have happened. */
  call(index: number): Load {
    const call = this.calls[index];
    if (call === undefined) throw new Error(`the loader was called ${this.calls.length} times`);
    return call.load;
  }
}

function record(id: string, expirationInstant: number | null = null): ApiKeyRecord {
  return {
    id,
    tenantId: null,
    keyManager: false,
    permissions: null,
    expirationInstant,
    ipAccessControlListId: null,
    rateLimit: null,
  };
}

/** What the cache answers for a record it holds: the record, with the end of its trust. */
function cached(key: ApiKeyRecord): ApiKeyRecord {
  return { ...key, cachedUntil: expect.any(Number) as number } as ApiKeyRecord;
}

const TTL = 60_000;
const NEGATIVE_TTL = 5_000;

function setup(options: Partial<ApiKeyCacheOptions> = {}) {
  const clock = { now: 1_000_000 };
  const loader = new FakeLoader();
  const cache = new ApiKeyCache(loader.load, {
    ttlMs: TTL,
    negativeTtlMs: NEGATIVE_TTL,
    maxEntries: 100,
    maxNegativeEntries: 100,
    now: () => clock.now,
    ...options,
  });
  return { clock, loader, cache };
}

/** Loads `digest` into the cache, answering the loader with `value`. */
async function prime(
  { cache, loader }: ReturnType<typeof setup>,
  digest: string,
  value: ApiKeyRecord | null,
): Promise<void> {
  const pending = cache.get(digest);
  loader.call(loader.calls.length - 1).resolve(value);
  await pending;
}

describe('ApiKeyCache', () => {
  it('answers a miss with a promise, then a hit synchronously', async () => {
    const harness = setup();
    const { cache, loader } = harness;
    const key = record('k1');
    const miss = cache.get('d1');
    expect(miss).toBeInstanceOf(Promise);
    loader.call(0).resolve(key);
    await expect(miss).resolves.toEqual(cached(key));

    const hit = cache.get('d1');
    expect(hit).not.toBeInstanceOf(Promise);
    expect(hit).toEqual(cached(key));
    expect(loader.calls).toHaveLength(1);
    expect(cache.counters).toMatchObject({ hits: 1, misses: 1, loads: 1 });
  });

  it('shares one load among concurrent misses on a digest', async () => {
    const { cache, loader } = setup();
    const key = record('k1');
    const first = cache.get('d1');
    const second = cache.get('d1');
    const other = cache.get('d2');
    expect(loader.calls.map((call) => call.digest)).toEqual(['d1', 'd2']);
    loader.call(0).resolve(key);
    loader.call(1).resolve(null);
    await expect(first).resolves.toEqual(cached(key));
    await expect(second).resolves.toEqual(cached(key));
    await expect(other).resolves.toBeNull();
  });

  it('drops a load that an eviction overtook and answers its callers with a fresh one', async () => {
    const { cache, loader } = setup();
    const stale = record('before');
    const fresh = record('after');
    const waiting = cache.get('d1');
    cache.evict('d1');
    loader.call(0).resolve(stale);
    await Promise.resolve();
    loader.call(1).resolve(fresh);

    await expect(waiting).resolves.toEqual(cached(fresh));
    expect(cache.get('d1')).toEqual(cached(fresh));
    expect(loader.calls).toHaveLength(2);
    expect(cache.counters.staleFillsDropped).toBe(1);
  });

  it('never lets a slower, older load overwrite a newer one', async () => {
    const { cache, loader } = setup();
    const stale = record('before');
    const fresh = record('after');
    const early = cache.get('d1');
    cache.evict('d1');
    const late = cache.get('d1');
    expect(loader.calls).toHaveLength(2);

    loader.call(1).resolve(fresh);
    await expect(late).resolves.toEqual(cached(fresh));
    loader.call(0).resolve(stale);
    await Promise.resolve();
    await Promise.resolve();
    // The older load's callers are answered by a read that began after the eviction.
    expect(loader.calls).toHaveLength(3);
    loader.call(2).resolve(fresh);

    await expect(early).resolves.toEqual(cached(fresh));
    expect(cache.get('d1')).toEqual(cached(fresh));
    expect(cache.counters.staleFillsDropped).toBe(1);
  });

  it('joins callers that arrive after an eviction to the newer load', async () => {
    const { cache, loader } = setup();
    const fresh = record('after');
    const early = cache.get('d1');
    cache.evict('d1');
    const late = cache.get('d1');
    loader.call(0).resolve(record('before'));
    await Promise.resolve();
    loader.call(1).resolve(fresh);

    await expect(early).resolves.toEqual(cached(fresh));
    await expect(late).resolves.toEqual(cached(fresh));
    expect(loader.calls).toHaveLength(2);
  });

  it('treats a flush like an eviction of every load under way', async () => {
    const { cache, loader } = setup();
    const fresh1 = record('k1-after');
    const waiting1 = cache.get('d1');
    const waiting2 = cache.get('d2');
    cache.flush('bus-resync');
    loader.call(0).resolve(record('k1-before'));
    loader.call(1).resolve(record('k2-before'));
    await Promise.resolve();
    await Promise.resolve();
    expect(loader.calls.map((call) => call.digest)).toEqual(['d1', 'd2', 'd1', 'd2']);
    loader.call(2).resolve(fresh1);
    loader.call(3).resolve(null);

    await expect(waiting1).resolves.toEqual(cached(fresh1));
    await expect(waiting2).resolves.toBeNull();
    expect(cache.get('d1')).toEqual(cached(fresh1));
    expect(cache.get('d2')).toBeNull();
    expect(cache.counters.flushes).toEqual({ 'bus-resync': 1 });
  });

  it('forgets held entries on evict and flush', async () => {
    const harness = setup();
    const { cache } = harness;
    await prime(harness, 'd1', record('k1'));
    await prime(harness, 'd2', record('k2'));
    await prime(harness, 'd3', null);
    expect(cache.size()).toEqual({ positive: 2, negative: 1 });

    cache.evict('d1');
    expect(cache.size()).toEqual({ positive: 1, negative: 1 });
    expect(cache.get('d1')).toBeInstanceOf(Promise);

    cache.flush('manual');
    cache.flush('manual');
    expect(cache.size()).toEqual({ positive: 0, negative: 0 });
    expect(cache.counters.flushes).toEqual({ manual: 2 });
  });

  it('re-reads a key once its TTL has passed', async () => {
    const harness = setup();
    const { cache, clock, loader } = harness;
    const key = record('k1');
    await prime(harness, 'd1', key);

    clock.now += TTL - 1;
    expect(cache.get('d1')).toEqual(cached(key));
    clock.now += 1;
    const reread = cache.get('d1');
    expect(reread).toBeInstanceOf(Promise);
    expect(loader.calls).toHaveLength(2);
  });

  it('trusts a key no longer than until it expires', async () => {
    const harness = setup();
    const { cache, clock } = harness;
    const key = record('k1', harness.clock.now + 1_000);
    await prime(harness, 'd1', key);

    clock.now += 999;
    expect(cache.get('d1')).toEqual(cached(key));
    clock.now += 1;
    expect(cache.get('d1')).toBeInstanceOf(Promise);
  });

  it('keeps a key that expires after the TTL for the TTL only', async () => {
    const harness = setup();
    const { cache, clock } = harness;
    await prime(harness, 'd1', record('k1', harness.clock.now + TTL * 10));

    clock.now += TTL;
    expect(cache.get('d1')).toBeInstanceOf(Promise);
  });

  it('caches an already expired key for the TTL (the guard refuses it on use)', async () => {
    const harness = setup();
    const { cache, clock } = harness;
    const expired = record('k1', harness.clock.now - 1);
    await prime(harness, 'd1', expired);

    clock.now += TTL - 1;
    expect(cache.get('d1')).toEqual(cached(expired));
  });

  it('remembers an unknown digest for the negative TTL', async () => {
    const harness = setup();
    const { cache, clock, loader } = harness;
    await prime(harness, 'd1', null);

    clock.now += NEGATIVE_TTL - 1;
    expect(cache.get('d1')).toBeNull();
    clock.now += 1;
    expect(cache.get('d1')).toBeInstanceOf(Promise);
    expect(loader.calls).toHaveLength(2);
  });

  it('replaces a negative entry when the key turns up, and the reverse', async () => {
    const harness = setup();
    const { cache, clock } = harness;
    const key = record('k1');
    await prime(harness, 'd1', null);
    clock.now += NEGATIVE_TTL;
    await prime(harness, 'd1', key);
    expect(cache.size()).toEqual({ positive: 1, negative: 0 });
    expect(cache.get('d1')).toEqual(cached(key));

    clock.now += TTL;
    await prime(harness, 'd1', null);
    expect(cache.size()).toEqual({ positive: 0, negative: 1 });
    expect(cache.get('d1')).toBeNull();
  });

  it('evicts the oldest entry past maxEntries', async () => {
    const harness = setup({ maxEntries: 2 });
    const { cache } = harness;
    await prime(harness, 'd1', record('k1'));
    await prime(harness, 'd2', record('k2'));
    await prime(harness, 'd3', record('k3'));

    expect(cache.size()).toEqual({ positive: 2, negative: 0 });
    expect(cache.get('d1')).toBeInstanceOf(Promise);
    expect(cache.get('d2')).toEqual(cached(record('k2')));
    expect(cache.get('d3')).toEqual(cached(record('k3')));
    expect(cache.counters.evictions).toBe(1);
  });

  it('bounds negative entries by maxNegativeEntries', async () => {
    const harness = setup({ maxNegativeEntries: 2 });
    const { cache } = harness;
    await prime(harness, 'd1', null);
    await prime(harness, 'd2', null);
    await prime(harness, 'd3', null);

    expect(cache.size()).toEqual({ positive: 0, negative: 2 });
    expect(cache.get('d1')).toBeInstanceOf(Promise);
    expect(cache.get('d3')).toBeNull();
  });

  it('refreshes an entry without evicting another one, and counts it as newest', async () => {
    const harness = setup({ maxEntries: 2 });
    const { cache, clock } = harness;
    const long = record('k1');
    await prime(harness, 'd1', long);
    await prime(harness, 'd2', record('k2', harness.clock.now + 100));

    clock.now += 100;
    const renewed = record('k2', clock.now + TTL);
    await prime(harness, 'd2', renewed);

    expect(cache.size()).toEqual({ positive: 2, negative: 0 });
    expect(cache.get('d1')).toEqual(cached(long));
    expect(cache.get('d2')).toEqual(cached(renewed));
    expect(cache.counters.evictions).toBe(0);

    await prime(harness, 'd3', record('k3'));
    expect(cache.get('d1')).toBeInstanceOf(Promise);
    expect(cache.get('d2')).toEqual(cached(renewed));
  });

  it('passes a failed load to every waiting caller and caches nothing', async () => {
    const { cache, loader } = setup();
    const failure = new Error('database unavailable');
    const first = cache.get('d1');
    const second = cache.get('d1');
    loader.call(0).reject(failure);

    await expect(first).rejects.toBe(failure);
    await expect(second).rejects.toBe(failure);
    expect(cache.size()).toEqual({ positive: 0, negative: 0 });

    const retry = cache.get('d1');
    expect(retry).toBeInstanceOf(Promise);
    expect(loader.calls).toHaveLength(2);
    loader.call(1).resolve(record('k1'));
    await expect(retry).resolves.toEqual(cached(record('k1')));
  });

  it('drops a load that outlives its deadline: its callers get the 503, the next caller loads afresh', async () => {
    jest.useFakeTimers();
    try {
      const { cache, loader } = setup({ loadDeadlineMs: 500 });
      const first = cache.get('d1') as Promise<ApiKeyRecord | null>;
      const second = cache.get('d1') as Promise<ApiKeyRecord | null>;
      const outcomes = Promise.allSettled([first, second]);
      await jest.advanceTimersByTimeAsync(500);
      const [a, b] = await outcomes;
      for (const outcome of [a, b]) {
        expect(outcome).toMatchObject({ status: 'rejected' });
        expect(isDatabaseUnavailable((outcome as PromiseRejectedResult).reason)).toBe(true);
      }
      expect(loader.calls).toHaveLength(1);

      const retry = cache.get('d1');
      expect(retry).toBeInstanceOf(Promise);
      expect(loader.calls).toHaveLength(2);
      // The hung read answers at last: too late to fill, the fresh one decides.
      loader.call(0).resolve(record('old'));
      loader.call(1).resolve(record('k1'));
      await expect(retry).resolves.toEqual(cached(record('k1')));
      expect(cache.get('d1')).toEqual(cached(record('k1')));
    } finally {
      jest.useRealTimers();
    }
  });

  it('holds each key as one frozen object, sharing equal permission sets', async () => {
    const harness = setup();
    const { cache } = harness;
    const scoped = (id: string): ApiKeyRecord => ({
      ...record(id),
      // Fresh copies each time, as rows read from the database are.
      tenantId: ['tenant', '1'].join('-'),
      ipAccessControlListId: ['acl', '1'].join('-'),
      permissions: new Map([
        ['/api/user', 1],
        ['/api/system/version', 3],
      ]),
    });
    await prime(harness, 'd1', scoped('k1'));
    await prime(harness, 'd2', scoped('k2'));
    await prime(harness, 'd3', { ...scoped('k3'), permissions: new Map([['/api/user', 1]]) });
    const [one, two, three] = ['d1', 'd2', 'd3'].map((digest) => cache.get(digest) as ApiKeyRecord);

    expect(Object.isFrozen(one)).toBe(true);
    expect(one).toEqual(cached(scoped('k1')));
    expect(two.permissions).toBe(one.permissions);
    expect(three.permissions).not.toBe(one.permissions);
    expect(three.permissions).toEqual(new Map([['/api/user', 1]]));
    expect([two.tenantId, two.ipAccessControlListId]).toEqual(['tenant-1', 'acl-1']);
  });

  it('never shares permission sets that merely print alike', async () => {
    const harness = setup();
    const { cache } = harness;
    await prime(harness, 'd1', { ...record('k1'), permissions: new Map([['a 1\nb', 2]]) });
    await prime(harness, 'd2', {
      ...record('k2'),
      permissions: new Map([
        ['a', 1],
        ['b', 2],
      ]),
    });
    const [one, two] = ['d1', 'd2'].map((digest) => cache.get(digest) as ApiKeyRecord);
    expect(one.permissions).toEqual(new Map([['a 1\nb', 2]]));
    expect(two.permissions?.size).toBe(2);
  });
});

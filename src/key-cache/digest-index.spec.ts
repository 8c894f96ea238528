import { DigestIndex, DigestSource } from './digest-index';

function source(
  all: string[],
  recent: string[] = [],
): DigestSource & { calls: { all: number; since: number } } {
  const calls = { all: 0, since: 0 };
  return {
    calls,
    allDigests: () => {
      calls.all++;
      return Promise.resolve([...all]);
    },
    digestsSince: () => {
      calls.since++;
      return Promise.resolve([...recent]);
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('DigestIndex', () => {
  let now: number;
  let healthy: boolean;
  const options = () => ({
    recentWindowMs: 10_000,
    recentRefreshMs: 100,
    lookupsPerSecond: 2,
    now: () => now,
  });

  beforeEach(() => {
    now = 1_000_000;
    healthy = true;
  });

  it('says "maybe" until loaded, and for every digest it holds', async () => {
    const index = new DigestIndex(source(['known']), () => healthy, options());
    expect(index.mightExist('made-up')).toBe(true);
    await index.reload();
    expect(index.mightExist('known')).toBe(true);
    expect(index.size()).toBe(1);
  });

  it('lets a few unknown digests through to the database, then answers alone', async () => {
    const index = new DigestIndex(source(['known']), () => healthy, options());
    await index.reload();
    const answers = [1, 2, 3, 4].map((n) => index.mightExist(`made-up-${n}`));
    expect(answers).toEqual([true, true, false, false]);
    expect(index.refusedWithoutQuery).toBe(2);
    now += 1_000;
    expect(index.mightExist('made-up-5')).toBe(true);
  });

  it('trusts nothing while the bus is not healthy', async () => {
    const index = new DigestIndex(source([]), () => healthy, options());
    await index.reload();
    healthy = false;
    expect([1, 2, 3, 4].map((n) => index.mightExist(`made-up-${n}`))).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('follows creations and deletions announced on the bus, including during a reload', async () => {
    const from = source(['a']);
    const index = new DigestIndex(from, () => healthy, { ...options(), lookupsPerSecond: 0 });
    const reloading = index.reload();
    index.added('b');
    await reloading;
    expect([index.mightExist('a'), index.mightExist('b')]).toEqual([true, true]);
    index.removed('a');
    expect(index.mightExist('a')).toBe(false);
    index.added('c');
    expect(index.mightExist('c')).toBe(true);
  });

  it('finds a key created elsewhere moments ago through the recent window', async () => {
    const from = source([], ['fresh']);
    const index = new DigestIndex(from, () => healthy, { ...options(), lookupsPerSecond: 0 });
    await index.reload();
    expect(index.mightExist('fresh')).toBe(false);
    await flush();
    expect(from.calls.since).toBe(1);
    expect(index.mightExist('fresh')).toBe(true);
  });

  it('reads the recent window at most once per refresh interval', async () => {
    const from = source([]);
    const index = new DigestIndex(from, () => healthy, { ...options(), lookupsPerSecond: 0 });
    await index.reload();
    for (let i = 0; i < 50; i++) index.mightExist(`made-up-${i}`);
    await flush();
    for (let i = 0; i < 50; i++) index.mightExist(`made-up-${i}`);
    await flush();
    expect(from.calls.since).toBe(1);
    now += 100;
    index.mightExist('again');
    await flush();
    expect(from.calls.since).toBe(2);
  });

  it('answers "maybe" again after a failed reload', async () => {
    const failing: DigestSource = {
      allDigests: () => Promise.reject(new Error('down')),
      digestsSince: () => Promise.resolve([]),
    };
    const index = new DigestIndex(failing, () => healthy, { ...options(), lookupsPerSecond: 0 });
    await index.reload();
    expect(index.mightExist('anything')).toBe(true);
  });
});

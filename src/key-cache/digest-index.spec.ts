import fc from 'fast-check';
import { DigestIndex, DigestSource } from './digest-index';

interface FakeSource extends DigestSource {
  calls: { all: number; since: number[] };
  rows: Map<string, number>;
}

/** A key table: digest → insert instant. */
function source(rows: Record<string, number> = {}): FakeSource {
  const table = new Map(Object.entries(rows));
  const calls = { all: 0, since: [] as number[] };
  return {
    calls,
    rows: table,
    allDigests: () => {
      calls.all++;
      return Promise.resolve([...table.keys()]);
    },
    digestsSince: (instant) => {
      calls.since.push(instant);
      return Promise.resolve(
        [...table].filter(([, at]) => at >= instant).map(([digest]) => digest),
      );
    },
  };
}

let clock = 1_000_000;
const OPTIONS = {
  clockSkewMs: 10_000,
  recentReadIntervalMs: 100,
  lookupsPerSecond: 2,
  secondLookMs: 1,
  now: () => clock,
};

describe('DigestIndex', () => {
  let healthy: boolean;
  beforeEach(() => {
    healthy = true;
    clock = 1_000_000;
  });

  it('says "maybe" until loaded, and for every digest it holds', async () => {
    const index = new DigestIndex(source({ known: 1 }), () => healthy, OPTIONS);
    expect(index.mightExist('made-up')).toBe(true);
    await index.reload();
    expect(index.mightExist('known')).toBe(true);
    expect(index.size()).toBe(1);
  });

  it('gives a few unknown digests a lookup each, then judges the rest from a shared read', async () => {
    const from = source({ known: 1 });
    const index = new DigestIndex(from, () => healthy, OPTIONS);
    await index.reload();
    expect([index.mightExist('made-up-1'), index.mightExist('made-up-2')]).toEqual([true, true]);
    expect(await index.mightExist('made-up-3')).toBe(false);
    const fromSnapshot = Array.from({ length: 50 }, (_, n) =>
      Promise.resolve(index.mightExist(`made-up-${n + 4}`)),
    );
    expect(await Promise.all(fromSnapshot)).toEqual(Array(50).fill(false));
    expect(from.calls.since).toHaveLength(1);
    expect(index.refusedWithoutQuery).toBe(51);
  });

  it('finds a key created after the last full read that the bus never announced', async () => {
    const from = source({ old: 1 });
    const index = new DigestIndex(from, () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    from.rows.set('silent', clock);
    expect(await index.mightExist('silent')).toBe(true);
    expect(await index.mightExist('never')).toBe(false);
  });

  it('judges from a snapshot at most one interval old, and reads ahead after half of it', async () => {
    const from = source({});
    const index = new DigestIndex(from, () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    expect(await index.mightExist('x')).toBe(false);
    from.rows.set('late', clock);
    clock += 40;
    // Within the interval a key the snapshot predates is refused: the bounded window.
    expect(await index.mightExist('late')).toBe(false);
    expect(from.calls.since).toHaveLength(1);
    clock += 20;
    expect(await index.mightExist('late')).toBe(true);
    expect(from.calls.since).toHaveLength(2);
    clock += 200;
    from.rows.set('later', clock);
    expect(await index.mightExist('later')).toBe(true);
  });

  it('takes a second look before refusing, finding a creation announced meanwhile', async () => {
    const index = new DigestIndex(source({}), () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    expect(await index.mightExist('x')).toBe(false);
    const pending = index.mightExist('announced-late');
    index.added('announced-late');
    expect(await pending).toBe(true);
  });

  it('trusts nothing while the bus is not healthy', async () => {
    const index = new DigestIndex(source({}), () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    healthy = false;
    expect(index.mightExist('made-up')).toBe(true);
  });

  it('follows creations and deletions announced on the bus, including during a reload', async () => {
    const index = new DigestIndex(source({ a: 1 }), () => healthy, {
      ...OPTIONS,
      lookupsPerSecond: 0,
    });
    const reloading = index.reload();
    index.added('b');
    await reloading;
    expect([index.mightExist('a'), index.mightExist('b')]).toEqual([true, true]);
    index.removed('a');
    expect(await index.mightExist('a')).toBe(false);
  });

  it('answers "maybe" when a snapshot read fails, and when a reload fails', async () => {
    const failing: DigestSource = {
      allDigests: () => Promise.resolve([]),
      digestsSince: () => Promise.reject(new Error('down')),
    };
    const index = new DigestIndex(failing, () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    expect(await index.mightExist('anything')).toBe(true);
    const broken = new DigestIndex(
      { ...failing, allDigests: () => Promise.reject(new Error('down')) },
      () => healthy,
      OPTIONS,
    );
    await broken.reload();
    expect(broken.mightExist('anything')).toBe(true);
  });

  it('never refuses a key that existed a full interval before it was asked for, whatever the bus said (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        async (before, after, lostOrWrong) => {
          const from = source(Object.fromEntries(before.map((digest) => [digest, clock])));
          const index = new DigestIndex(from, () => true, { ...OPTIONS, lookupsPerSecond: 0 });
          await index.reload();
          expect(await index.mightExist('warm-up')).toBe(before.includes('warm-up'));
          // Messages lost, late or reordered: some digests wrongly removed; others never announced.
          for (const digest of lostOrWrong) index.removed(digest);
          clock += 1;
          for (const digest of after) from.rows.set(digest, clock);
          clock += OPTIONS.recentReadIntervalMs + 1;
          for (const digest of [
            ...before.filter((digest) => !lostOrWrong.includes(digest)),
            ...after,
          ]) {
            expect(await index.mightExist(digest)).toBe(true);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

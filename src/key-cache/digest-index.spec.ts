import fc from 'fast-check';
import { hash } from 'node:crypto';
import { DigestIndex, DigestSource, digestTag } from './digest-index';

/** A key's digest, as stored: the index only ever sees these. */
const d = (name: string): string => hash('sha256', name, 'base64url');

interface FakeSource extends DigestSource {
  calls: { all: number; since: number[] };
  rows: Map<string, number>;
}

/** A key table: digest → insert instant. */
function source(rows: Record<string, number> = {}): FakeSource {
  const table = new Map(Object.entries(rows).map(([name, at]) => [d(name), at]));
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

/** A source whose full reads wait until the test answers them, in any order. */
function deferredSource(rows: Record<string, number>) {
  const reads: ((digests: string[]) => void)[] = [];
  const initial = Object.keys(rows).map(d);
  return {
    allDigests: () => new Promise<string[]>((resolve) => reads.push(resolve)),
    digestsSince: () => Promise.resolve([] as string[]),
    /** Answers the nth full read (0-based) with these digests (the initial rows by default). */
    answer(n: number, digests: string[] = initial) {
      reads[n](digests);
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
    expect(index.mightExist(d('made-up'))).toBe(true);
    await index.reload();
    expect(index.mightExist(d('known'))).toBe(true);
    expect(index.size()).toBe(1);
  });

  it('gives a few unknown digests a lookup each, then judges the rest from a shared read', async () => {
    const from = source({ known: 1 });
    const index = new DigestIndex(from, () => healthy, OPTIONS);
    await index.reload();
    expect([index.mightExist(d('made-up-1')), index.mightExist(d('made-up-2'))]).toEqual([
      true,
      true,
    ]);
    expect(await index.mightExist(d('made-up-3'))).toBe(false);
    const fromSnapshot = Array.from({ length: 50 }, (_, n) =>
      Promise.resolve(index.mightExist(d(`made-up-${n + 4}`))),
    );
    expect(await Promise.all(fromSnapshot)).toEqual(Array(50).fill(false));
    expect(from.calls.since).toHaveLength(1);
    expect(index.refusedWithoutQuery).toBe(51);
  });

  it('finds a key created after the last full read that the bus never announced', async () => {
    const from = source({ old: 1 });
    const index = new DigestIndex(from, () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    from.rows.set(d('silent'), clock);
    expect(await index.mightExist(d('silent'))).toBe(true);
    expect(await index.mightExist(d('never'))).toBe(false);
  });

  it('judges from a snapshot at most one interval old, and reads ahead after half of it', async () => {
    const from = source({});
    const index = new DigestIndex(from, () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    expect(await index.mightExist(d('x'))).toBe(false);
    from.rows.set(d('late'), clock);
    clock += 40;
    // Within the interval a key the snapshot predates is refused: the bounded window.
    expect(await index.mightExist(d('late'))).toBe(false);
    expect(from.calls.since).toHaveLength(1);
    clock += 20;
    expect(await index.mightExist(d('late'))).toBe(true);
    expect(from.calls.since).toHaveLength(2);
    clock += 200;
    from.rows.set(d('later'), clock);
    expect(await index.mightExist(d('later'))).toBe(true);
  });

  it('takes a second look before refusing, finding a creation announced meanwhile', async () => {
    const index = new DigestIndex(source({}), () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    expect(await index.mightExist(d('x'))).toBe(false);
    const pending = index.mightExist(d('announced-late'));
    index.added(d('announced-late'));
    expect(await pending).toBe(true);
  });

  it('trusts nothing while the bus is not healthy', async () => {
    const index = new DigestIndex(source({}), () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    healthy = false;
    expect(index.mightExist(d('made-up'))).toBe(true);
  });

  it('follows creations announced on the bus, including during a reload', async () => {
    const index = new DigestIndex(source({ a: 1 }), () => healthy, {
      ...OPTIONS,
      lookupsPerSecond: 0,
    });
    const reloading = index.reload();
    index.added(d('b'));
    await reloading;
    expect([index.mightExist(d('a')), index.mightExist(d('b'))]).toEqual([true, true]);
  });

  it('lets deleted keys go at the next refresh, trusting what it holds meanwhile', async () => {
    const from = source({ a: 1, b: 1 });
    const index = new DigestIndex(from, () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    from.rows.delete(d('a'));
    const refreshing = index.refresh();
    // While the read is under way the index still answers from what it holds.
    expect(index.mightExist(d('a'))).toBe(true);
    await refreshing;
    expect(await index.mightExist(d('a'))).toBe(false);
    expect(index.mightExist(d('b'))).toBe(true);
    expect(from.calls.all).toBe(2);
  });

  it('keeps a creation announced while a refresh reads, whichever read wins', async () => {
    const from = deferredSource({ a: 1 });
    const index = new DigestIndex(from, () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    const loading = index.reload();
    from.answer(0);
    await loading;

    // A refresh under way when a key is created (its read began before the row existed).
    const refreshing = index.refresh();
    index.added(d('b'));
    from.answer(1);
    await refreshing;
    expect(index.mightExist(d('b'))).toBe(true);

    // A refresh overtaken by a resync's reload: the older read's answer is dropped.
    const stale = index.refresh();
    const resync = index.reload();
    index.added(d('c'));
    from.answer(3, [d('a'), d('b')]);
    from.answer(2, [d('a')]);
    await Promise.all([stale, resync]);
    expect([d('a'), d('b'), d('c')].map((digest) => index.mightExist(digest))).toEqual([
      true,
      true,
      true,
    ]);
    expect(index.size()).toBe(3);
  });

  it('answers "maybe" for a made-up digest that shares a tag with a real one', async () => {
    const index = new DigestIndex(source({ real: 1 }), () => healthy, {
      ...OPTIONS,
      lookupsPerSecond: 0,
    });
    await index.reload();
    const lookalike = `${d('real').slice(0, 5)}${'A'.repeat(38)}`;
    expect(digestTag(lookalike)).toBe(digestTag(d('real')));
    expect(index.mightExist(lookalike)).toBe(true);
    expect(index.refusedWithoutQuery).toBe(0);
  });

  it('answers "maybe" when a snapshot read fails, and when a reload fails', async () => {
    const failing: DigestSource = {
      allDigests: () => Promise.resolve([]),
      digestsSince: () => Promise.reject(new Error('down')),
    };
    const index = new DigestIndex(failing, () => healthy, { ...OPTIONS, lookupsPerSecond: 0 });
    await index.reload();
    expect(await index.mightExist(d('anything'))).toBe(true);
    const broken = new DigestIndex(
      { ...failing, allDigests: () => Promise.reject(new Error('down')) },
      () => healthy,
      OPTIONS,
    );
    await broken.reload();
    expect(broken.mightExist(d('anything'))).toBe(true);
  });

  it('never refuses a key that existed a full interval before it was asked for, whatever the bus said (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        fc.boolean(),
        async (before, after, announced, refreshed) => {
          const from = source(Object.fromEntries(before.map((name) => [name, clock])));
          const index = new DigestIndex(from, () => true, { ...OPTIONS, lookupsPerSecond: 0 });
          await index.reload();
          expect(await index.mightExist(d('warm-up'))).toBe(before.includes('warm-up'));
          // Messages lost, late or wrong: some creations announced that never happened, others never announced.
          for (const name of announced) index.added(d(name));
          clock += 1;
          for (const name of after) from.rows.set(d(name), clock);
          if (refreshed) await index.refresh();
          clock += OPTIONS.recentReadIntervalMs + 1;
          for (const name of [...before, ...after]) {
            expect(await index.mightExist(d(name))).toBe(true);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('digestTag', () => {
  it('keeps 30 bits of a digest: the first five base64url characters', () => {
    expect(digestTag('AAAAA')).toBe(0);
    expect(digestTag('_____')).toBe(2 ** 30 - 1);
    expect(digestTag('AAAAB')).toBe(1);
    expect(digestTag('BAAAA')).toBe(2 ** 24);
    expect(digestTag(d('x'))).toBe(digestTag(d('x').slice(0, 5)));
  });

  it('tags any string, short, empty or not base64url, the same way every time', () => {
    for (const odd of ['', 'a', 'abcd', '!!!!!', 'ÿÿÿÿÿÿ', '\u{1F511}key']) {
      const tag = digestTag(odd);
      expect([odd, tag]).toEqual([odd, digestTag(odd)]);
      expect(Number.isInteger(tag) && tag >= 0 && tag < 2 ** 30).toBe(true);
    }
  });

  it('gives digests that differ in their first five characters different tags (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const [da, db] = [d(a), d(b)];
        if (da.slice(0, 5) !== db.slice(0, 5)) expect(digestTag(da)).not.toBe(digestTag(db));
      }),
    );
  });
});

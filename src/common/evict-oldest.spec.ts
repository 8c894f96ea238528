import { evictOldest } from './evict-oldest';

/** The obvious version, which `evictOldest` must match entry for entry. */
function reference<K>(collection: Map<K, unknown> | Set<K>, max: number): number {
  let evicted = 0;
  while (collection.size > 0 && collection.size >= max) {
    collection.delete(collection.keys().next().value as K);
    evicted++;
  }
  return evicted;
}

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('evictOldest', () => {
  it('deletes the first-inserted entries until fewer than the bound remain', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(evictOldest(map, 2)).toBe(2);
    expect([...map.keys()]).toEqual(['c']);
    map.set('d', 4);
    expect(evictOldest(map, 2)).toBe(1);
    expect([...map.keys()]).toEqual(['d']);
  });

  it('treats a key deleted and set again as new, and one set again in place as old', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    evictOldest(map, 4); // nothing to do, but a cursor now exists
    map.delete('a');
    map.set('a', 10);
    map.set('b', 20);
    expect(evictOldest(map, 3)).toBe(1);
    expect([...map.keys()]).toEqual(['c', 'a']);
  });

  it('empties the collection for a bound of 0 and does nothing to an empty one', () => {
    const set = new Set(['x', 'y']);
    expect(evictOldest(set, 0)).toBe(2);
    expect(set.size).toBe(0);
    expect(evictOldest(set, 0)).toBe(0);
  });

  it('starts again after the collection was cleared or its cursor ran out', () => {
    const set = new Set(['x']);
    expect(evictOldest(set, 1)).toBe(1);
    set.add('y');
    set.add('z');
    set.clear();
    set.add('p');
    set.add('q');
    expect(evictOldest(set, 2)).toBe(1);
    expect([...set]).toEqual(['q']);
  });

  it.each([1, 2, 3])(
    'matches the obvious version over 20,000 random sets, deletes and evictions (seed %i)',
    (seed) => {
      const next = random(seed);
      const ours = new Map<number, number>();
      const theirs = new Map<number, number>();
      for (let step = 0; step < 20_000; step++) {
        const key = Math.floor(next() * 300);
        const roll = next();
        if (roll < 0.6) {
          ours.set(key, step);
          theirs.set(key, step);
        } else if (roll < 0.8) {
          ours.delete(key);
          theirs.delete(key);
        } else {
          const max = Math.floor(next() * 250);
          expect(evictOldest(ours, max)).toBe(reference(theirs, max));
        }
      }
      expect([...ours]).toEqual([...theirs]);
    },
  );
});

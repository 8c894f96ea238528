import fc from 'fast-check';
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

  it('keeps its place across clear(): the next eviction takes the oldest entry added since', () => {
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

  it('matches the obvious version over any sequence of sets, deletes and evictions', () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant('set' as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ op: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ op: fc.constant('evict' as const), max: fc.integer({ min: 0, max: 35 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const ours = new Map<number, number>();
        const theirs = new Map<number, number>();
        steps.forEach((s, i) => {
          if (s.op === 'set') {
            ours.set(s.key, i);
            theirs.set(s.key, i);
          } else if (s.op === 'delete') {
            ours.delete(s.key);
            theirs.delete(s.key);
          } else {
            expect(evictOldest(ours, s.max)).toBe(reference(theirs, s.max));
          }
        });
        expect([...ours]).toEqual([...theirs]);
      }),
      { numRuns: 300 },
    );
  });
});

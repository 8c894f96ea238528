import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth';

function nested(levels: number, leaf: unknown = 1, kind: 'object' | 'array' = 'object'): unknown {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = kind === 'object' ? { a: value } : [value];
  return value;
}

describe('exceedsDepth', () => {
  it('counts each object or array as one level; scalars are depth zero', () => {
    expect(exceedsDepth('text', 0)).toBe(false);
    expect(exceedsDepth(null, 0)).toBe(false);
    expect(exceedsDepth({}, 0)).toBe(true);
    expect(exceedsDepth({}, 1)).toBe(false);
    expect(exceedsDepth({ a: [{ b: 1 }] }, 2)).toBe(true);
    expect(exceedsDepth({ a: [{ b: 1 }] }, 3)).toBe(false);
  });

  it('allows exactly the limit, in objects and arrays alike', () => {
    expect(exceedsDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsDepth(nested(MAX_JSON_DEPTH + 1, 1, 'array'))).toBe(true);
  });

  it('finds a deep branch beside shallow ones', () => {
    expect(exceedsDepth({ shallow: 1, other: [1, 2], deep: nested(MAX_JSON_DEPTH) })).toBe(true);
  });

  it('answers for 200,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(exceedsDepth(deep)).toBe(true);
  });
});

import { Interner } from './interner';

describe('Interner', () => {
  it('hands out the value first held for a key', () => {
    const interner = new Interner<object>(10);
    const first = { n: 1 };
    expect(interner.intern('a', first)).toBe(first);
    expect(interner.intern('a', { n: 1 })).toBe(first);
    const other = { n: 2 };
    expect(interner.intern('b', other)).toBe(other);
    expect(interner.intern('a', {})).toBe(first);
  });

  it('starts afresh past its bound', () => {
    const interner = new Interner<object>(2);
    const a = { n: 1 };
    interner.intern('a', a);
    interner.intern('b', {});
    const c = { n: 3 };
    interner.intern('c', c);
    const again = { n: 1 };
    expect(interner.intern('a', again)).toBe(again);
    expect(interner.intern('c', {})).toBe(c);
  });
});

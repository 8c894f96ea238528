import { Interner } from './interner';

describe('Interner', () => {
  it('hands out the value first held for a key', () => {
    const interner = new Interner<object>(10);
    const first = { n: 1 };
    expect(interner.intern('a', first)).toBe(first);
    expect(interner.intern('a', { n: 1 })).toBe(first);
    expect(interner.intern('b', { n: 2 })).toEqual({ n: 2 });
    expect(interner.size()).toBe(2);
  });

  it('starts afresh past its bound', () => {
    const interner = new Interner<object>(2);
    const a = { n: 1 };
    interner.intern('a', a);
    interner.intern('b', {});
    interner.intern('c', {});
    expect(interner.size()).toBe(1);
    const again = { n: 1 };
    expect(interner.intern('a', again)).toBe(again);
  });
});

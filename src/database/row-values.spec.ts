import { bool, byInsertion, instant, jsonText, optionalInstant } from './row-values';

describe('row values', () => {
  it('reads a JSON text column whether or not the driver parsed it', () => {
    expect(jsonText('{"a":[1]}')).toEqual({ a: [1] });
    expect(jsonText({ a: [1] })).toEqual({ a: [1] });
  });

  it('reads 0/1, true/false and "1" as booleans', () => {
    expect([1, true, '1'].map(bool)).toEqual([true, true, true]);
    expect([0, false, '0', null].map(bool)).toEqual([false, false, false, false]);
  });

  it('reads BIGINT instants handed back as strings', () => {
    expect(instant('1765843200000')).toBe(1765843200000);
    expect(optionalInstant(null)).toBeNull();
    expect(optionalInstant('5')).toBe(5);
  });

  it('orders oldest first, then by id', () => {
    const rows = [
      { insertInstant: 2, id: 'a' },
      { insertInstant: 1, id: 'c' },
      { insertInstant: 1, id: 'b' },
    ];
    expect(rows.sort(byInsertion).map((row) => row.id)).toEqual(['b', 'c', 'a']);
  });
});

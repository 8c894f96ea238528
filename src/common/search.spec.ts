import { ApiError, FieldErrors } from './api-error';
import { Fields } from './fields';
import {
  DEFAULT_PAGE_SIZE,
  likePattern,
  MAX_PAGE_SIZE,
  readNameSearch,
  searchTenant,
} from './search';

describe('likePattern', () => {
  it.each<[string | null, string | null]>([
    [null, null],
    ['', null],
    ['   ', null],
    ['*', null],
    [' * ', null],
    ['acme', '%acme%'],
    ['acme*', 'acme%'],
    ['*corp', '%corp'],
    ['a*c*e', 'a%c%e'],
    ['**', '%%'],
    ['100%', '%100\\%%'],
    ['snake_case', '%snake\\_case%'],
    ['back\\slash', '%back\\\\slash%'],
    ['50%_off*', '50\\%\\_off%'],
  ])('%j → %j', (name, expected) => {
    expect(likePattern(name)).toBe(expected);
  });
});

describe('searchTenant', () => {
  it.each<[string | null, string | null, string | null | undefined]>([
    [null, null, null],
    [null, 't1', 't1'],
    ['t1', null, 't1'],
    ['t1', 't1', 't1'],
    ['t1', 't2', undefined],
  ])('caller %j asking for %j → %j', (caller, requested, expected) => {
    expect(searchTenant(caller, requested)).toBe(expected);
  });
});

describe('readNameSearch', () => {
  const read = (values: Record<string, unknown>) =>
    readNameSearch(new Fields(values, 'search', new FieldErrors()));

  it('reads the name as a LIKE pattern, with default paging', () => {
    expect(read({ name: 'acme*' })).toEqual({
      name: 'acme%',
      tenantId: null,
      startRow: 0,
      numberOfResults: DEFAULT_PAGE_SIZE,
    });
  });

  it('caps the page size and refuses a bad tenant id', () => {
    expect(read({ numberOfResults: 10_000 }).numberOfResults).toBe(MAX_PAGE_SIZE);
    expect(() => read({ tenantId: 'x' })).toThrow(ApiError);
  });
});

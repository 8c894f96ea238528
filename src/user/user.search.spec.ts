import { ApiError, FieldErrors } from '../common/api-error';
import { Fields } from '../common/fields';
import { readUserSearch, readUserSearchQuery } from './user.search';

const A = '0b6fd4f4-7c2d-4a36-9bd2-3f1d2c6a9e01';
const B = '5f0e2a11-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

const search = (source: Record<string, unknown>) =>
  readUserSearch(new Fields(source, 'search', new FieldErrors()));

function fieldsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    return Object.keys((error as ApiError).body.fieldErrors ?? {}).sort();
  }
  throw new Error('expected an error');
}

describe('readUserSearch', () => {
  it('defaults to every user, 25 at a time from the first', () => {
    expect(search({})).toEqual({
      ids: null,
      pattern: null,
      startRow: 0,
      numberOfResults: 25,
      sort: [],
    });
  });

  it.each<[string, string | null]>([
    ['*', null],
    ['  ', null],
    ['ada', '%ada%'],
    [' ada ', '%ada%'],
    ['ad*', 'ad%'],
    ['100%_', '%100\\%\\_%'],
  ])('reads queryString %j as the LIKE pattern %j', (queryString, pattern) => {
    expect(search({ queryString }).pattern).toBe(pattern);
  });

  it('reads ids, lower-cased and distinct, and refuses one that is not a UUID', () => {
    expect(search({ ids: [A.toUpperCase(), A, B] }).ids).toEqual([A, B]);
    expect(fieldsOf(() => search({ ids: [A, 'x'] }))).toEqual(['search.ids']);
  });

  it('reads sort fields, ascending unless told, and refuses unknown names and orders', () => {
    expect(
      search({ sortFields: [{ name: 'email' }, { name: 'lastName', order: 'DESC' }] }).sort,
    ).toEqual([
      { property: 'email', order: 'ASC' },
      { property: 'lastName', order: 'DESC' },
    ]);
    expect(
      fieldsOf(() =>
        search({ sortFields: [{ name: 'passwordHash' }, { name: 'email', order: 'up' }] }),
      ),
    ).toEqual(['search.sortFields[0]', 'search.sortFields[1]']);
    expect(fieldsOf(() => search({ sortFields: [{ name: 'email' }, 3] }))).toEqual([
      'search.sortFields',
    ]);
  });

  it('caps the page size and refuses negative rows', () => {
    expect(search({ numberOfResults: 10_000 }).numberOfResults).toBe(500);
    expect(fieldsOf(() => search({ startRow: -1, numberOfResults: 0 }))).toEqual([
      'search.numberOfResults',
      'search.startRow',
    ]);
  });
});

describe('readUserSearchQuery', () => {
  it('reads repeated ids and ignores those that are not UUIDs', () => {
    expect(readUserSearchQuery({ ids: [A, 'nonsense', B] }).ids).toEqual([A, B]);
    expect(readUserSearchQuery({ ids: 'nonsense' }).ids).toEqual([]);
  });

  it('reads the literal "undefined" the client sends as absent', () => {
    expect(readUserSearchQuery({ ids: 'undefined', queryString: 'undefined' })).toMatchObject({
      ids: null,
      pattern: null,
    });
  });

  it('reads paging and sortFields[n] parameters', () => {
    expect(
      readUserSearchQuery({
        queryString: 'ada',
        numberOfResults: '5',
        startRow: '10',
        'sortFields[1].name': 'email',
        'sortFields[0].name': 'lastName',
        'sortFields[0].order': 'desc',
      }),
    ).toEqual({
      ids: null,
      pattern: '%ada%',
      startRow: 10,
      numberOfResults: 5,
      sort: [
        { property: 'lastName', order: 'DESC' },
        { property: 'email', order: 'ASC' },
      ],
    });
  });

  it('refuses a page size that is not a number', () => {
    expect(fieldsOf(() => readUserSearchQuery({ numberOfResults: 'ten' }))).toEqual([
      'numberOfResults',
    ]);
  });
});

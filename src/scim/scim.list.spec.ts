import { ScimError } from './scim.error';
import { filteredPage, readListQuery } from './scim.list';

describe('SCIM list queries (RFC 7644 §3.4.2)', () => {
  it.each([
    [{}, { filter: null, startIndex: 1, count: 100 }],
    [
      { startIndex: '0', count: '-3' },
      { filter: null, startIndex: 1, count: 0 },
    ],
    [
      { startIndex: '-9', count: '5000' },
      { filter: null, startIndex: 1, count: 1000 },
    ],
    [
      { startIndex: '7', count: '2' },
      { filter: null, startIndex: 7, count: 2 },
    ],
    [
      { startIndex: 'undefined', count: '' },
      { filter: null, startIndex: 1, count: 100 },
    ],
  ])('reads %j', (query, expected) => {
    expect(readListQuery(query)).toEqual(expected);
  });

  it.each([{ count: 'ten' }, { startIndex: '1.5' }, { count: '9'.repeat(40) }])(
    'refuses %j with 400 invalidValue',
    (query) => {
      expect(() => readListQuery(query)).toThrow(ScimError);
    },
  );

  it('pages what the filter keeps', () => {
    const resources = ['a1', 'b1', 'a2', 'a3'].map((userName) => ({ userName }));
    const query = readListQuery({ filter: 'userName sw "a"', startIndex: '2', count: '1' });
    expect(filteredPage(resources, query)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 3,
      itemsPerPage: 1,
      startIndex: 2,
      Resources: [{ userName: 'a2' }],
    });
  });
});

import { FieldErrors } from '../common/api-error';
import { Fields } from '../common/fields';
import { readKeySearch } from './signing-key.dto';

const search = (values: Record<string, unknown>) =>
  readKeySearch(new Fields(values, 'search', new FieldErrors()));

describe('readKeySearch', () => {
  it("reads FusionAuth's defaults", () => {
    expect(search({})).toEqual({
      name: null,
      algorithm: null,
      type: null,
      orderBy: { field: 'name', direction: 'ASC' },
      startRow: 0,
      numberOfResults: 25,
    });
  });

  it.each([
    ['insertInstant DESC', { field: 'insertInstant', direction: 'DESC' }],
    ['expiration', { field: 'expiration', direction: 'ASC' }],
    [' type  asc ', { field: 'type', direction: 'ASC' }],
  ])('reads orderBy %j', (orderBy, expected) => {
    expect(search({ orderBy }).orderBy).toEqual(expected);
  });

  it.each(['secret ASC', 'name UP', 'name ASC extra', 'k.name; DROP TABLE'])(
    'refuses orderBy %j',
    (orderBy) => {
      expect(() => search({ orderBy })).toThrow(
        expect.objectContaining({
          body: {
            fieldErrors: {
              'search.orderBy': [expect.objectContaining({ code: '[invalid]search.orderBy' })],
            },
          },
        }),
      );
    },
  );

  it('reads name as a LIKE pattern, algorithm and type as enums', () => {
    expect(search({ name: 'a*', algorithm: 'ES256', type: 'EC' })).toMatchObject({
      name: 'a%',
      algorithm: 'ES256',
      type: 'EC',
    });
    expect(() => search({ type: 'Secret' })).toThrow();
  });
});

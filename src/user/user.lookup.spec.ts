import { ApiError } from '../common/api-error';
import { readUserLookup } from './user.lookup';

describe('readUserLookup', () => {
  it.each<[Record<string, unknown>, { value: string; types: string[] }]>([
    [{ email: 'a@b.co' }, { value: 'a@b.co', types: ['email'] }],
    [{ username: 'ada' }, { value: 'ada', types: ['username'] }],
    [{ loginId: 'ada' }, { value: 'ada', types: ['email', 'username'] }],
    [
      { loginId: 'ada', loginIdTypes: 'username' },
      { value: 'ada', types: ['username'] },
    ],
    [
      { loginId: 'ada', loginIdTypes: ['username', 'email'] },
      { value: 'ada', types: ['email', 'username'] },
    ],
    [
      { loginId: 'ada', loginIdTypes: 'phoneNumber' },
      { value: 'ada', types: [] },
    ],
    [
      { loginId: 'ada', loginIdTypes: 'undefined' },
      { value: 'ada', types: ['email', 'username'] },
    ],
    [
      { email: 'undefined', username: 'ada' },
      { value: 'ada', types: ['username'] },
    ],
  ])('%j → %j', (query, expected) => {
    expect(readUserLookup(query)).toEqual(expected);
  });

  it('refuses a lookup that names nothing', () => {
    expect(() => readUserLookup({ email: 'null' })).toThrow(ApiError);
  });
});

import { likePattern } from './search';

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

import { matches, MAX_FILTER_LENGTH, parseFilter, parsePatchPath } from './scim.filter';
import { ScimError } from './scim.error';

const BJENSEN = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'Bjensen-Ext',
  userName: 'bjensen',
  name: { familyName: "O'Malley", givenName: 'Barbara' },
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  meta: { lastModified: '2011-05-13T04:42:34Z', resourceType: 'User' },
};

const matching = (filter: string) => matches(parseFilter(filter), BJENSEN);

function scimTypeOf(work: () => unknown): string | null {
  try {
    work();
  } catch (error) {
    if (error instanceof ScimError) return `${error.status} ${error.scimType}`;
    throw error;
  }
  return null;
}

describe('SCIM filters (RFC 7644 §3.4.2.2)', () => {
  it.each([
    ['userName eq "bjensen"', true],
    ['USERNAME EQ "BJensen"', true],
    ['name.familyName co "O\'Malley"', true],
    ['userName sw "BJ"', true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', false],
    ['title pr', true],
    ['nickName pr', false],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified lt "2012-01-01T00:00:00Z"', true],
    ['title pr and userType eq "Employee"', true],
    ['title pr or userType eq "Intern"', true],
    ['schemas eq "urn:ietf:params:scim:schemas:core:2.0:User"', true],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      false,
    ],
    ['userType eq "Employee" and (emails.type eq "work")', true],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "home" and value co "@example.com"]', false],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp"]', true],
    ['emails.value eq "BABS@jensen.org"', true],
    ['emails.value ew ".org"', true],
    ['active eq true', true],
    ['active eq false', false],
    ['active ne false', true],
    ['nickName eq null', true],
    ['nickName ne "x"', true],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['externalId eq "bjensen-ext"', false],
    ['externalId eq "Bjensen-Ext"', true],
    ['displayName eq "x" or (userName eq "bjensen" and not (active eq false))', true],
    ['userName eq "a \\"quoted\\" name"', false],
  ])('%s → %s', (filter, expected) => {
    expect(matching(filter)).toBe(expected);
  });

  it('reads escapes in string literals', () => {
    const resource = { userName: 'a "quoted" \\ name\u00e9' };
    expect(matches(parseFilter('userName eq "a \\"quoted\\" \\\\ name\\u00e9"'), resource)).toBe(
      true,
    );
  });

  it.each([
    '',
    '   ',
    'userName',
    'userName eq',
    'userName xx "a"',
    'userName eq "unterminated',
    'userName eq bare',
    '(userName eq "a"',
    'userName eq "a")',
    'userName eq "a" and',
    'userName eq "a" "b"',
    'active gt true',
    'userName co 3',
    'name.givenName.more eq "a"',
    'emails[type eq "work"',
    'user;drop eq "x"',
    'userName eq "\\x"',
    `${'('.repeat(40)}userName eq "a"${')'.repeat(40)}`,
    `userName eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`,
  ])('refuses %j with 400 invalidFilter', (filter) => {
    expect(scimTypeOf(() => parseFilter(filter))).toBe('400 invalidFilter');
  });

  it('refuses a filter that is not a string', () => {
    expect(scimTypeOf(() => parseFilter(['a']))).toBe('400 invalidFilter');
  });
});

describe('SCIM PATCH paths (RFC 7644 §3.5.2)', () => {
  it.each([
    ['active', { attr: 'active', filter: null, sub: null }],
    ['name.givenName', { attr: 'name', filter: null, sub: 'givenname' }],
    [
      'urn:ietf:params:scim:schemas:core:2.0:User:userName',
      { attr: 'username', filter: null, sub: null },
    ],
  ])('reads %s', (path, expected) => {
    expect(parsePatchPath(path)).toEqual(expected);
  });

  it('reads a value filter and a sub-attribute after it', () => {
    const path = parsePatchPath('members[value eq "2819c223"]');
    expect(path.attr).toBe('members');
    expect(matches(path.filter!, { value: '2819c223' })).toBe(true);
    expect(parsePatchPath('emails[type eq "work"].value')).toMatchObject({
      attr: 'emails',
      sub: 'value',
    });
  });

  it.each(['', 'members[value eq "x"', 'members[value eq "x"] extra', 'a.b[type eq "x"]', '[x]'])(
    'refuses %j with 400 invalidPath',
    (path) => {
      expect(scimTypeOf(() => parsePatchPath(path))).toBe('400 invalidPath');
    },
  );
});
